package rights

// Settings are the organisation-wide switches that decisions depend on.
type Settings struct {
	// ApprovalEnabled: work-hour approval is on; without it the approval rights do nothing (WHA-1).
	ApprovalEnabled bool
	// TravelEnabled: the travel-reimbursement feature is on; without it nobody uses travel (TRV-1).
	TravelEnabled bool
}

// Subject is the user a decision is made for: effective rights plus where they stand in the
// organisation. A request uses one that reflects every change committed before it began
// (PRF-6: a change applies to the very next request); a request made with an API key uses
// its user's Subject unchanged (API-4). Subjects may be shared between requests (a replica
// caches them), so they are never modified once built.
type Subject struct {
	UserID int64
	// ProfileID is the profile the user holds (PRF-3: nobody edits the profile they use).
	ProfileID int64
	// Rights are the effective rights: profile plus overrides (ORG-5, see Effective).
	Rights Rights
	// UnitID is the user's business unit (ORG-3).
	UnitID int64
	// OwnUnits is UnitID and all its sub-units (ORG-3, see Org.UnitClosure).
	OwnUnits Set
	// Subordinates are all users below the user in the supervisor tree (ORG-2, see Org.Subordinates).
	Subordinates Set
	// MemberOf holds the ids of cases where the user is a member. Ownership comes from
	// CaseAttrs.OwnerID and need not be listed here (ORG-4).
	MemberOf Set
	// APIAccess is the user's API switch (API-1).
	APIAccess bool
	// Settings are the organisation's switches (WHA-1, TRV-1).
	Settings Settings
}
