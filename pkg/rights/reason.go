package rights

import (
	"slices"
	"strings"
)

// Reason names the rule (or rules, by RIGHTS.md ID) that decided a Decision, with a short
// message for the explain endpoint. It is a small constant: carrying one allocates nothing.
type Reason uint8

// Reasons. The zero value, ReasonNone, means no rule was involved (e.g. nothing was hidden).
const (
	ReasonNone Reason = iota

	// Accounts (section 1).
	ReasonAccountsNone
	ReasonAccountsView
	ReasonAccountsEdit
	ReasonAccountsEditDenied
	ReasonAccountsDelete
	ReasonAccountsDeleteDenied
	ReasonAccountsAddActivity
	ReasonHideAccountReportColumns

	// Cases (sections 2 and 3).
	ReasonAccountsNoneCases
	ReasonCasesNone
	ReasonCaseOwnerMemberLevel
	ReasonCaseOwner
	ReasonCasesAll
	ReasonCaseOwnUnit
	ReasonCaseSubordinateOwner
	ReasonCaseMember
	ReasonCaseNotVisible
	ReasonCaseOwnerOnly
	ReasonCaseCreate
	ReasonCaseCreateDenied
	ReasonCaseDeleteDenied
	ReasonRevenueManagerNoFinancials
	ReasonEnterWork
	ReasonEnterWorkDenied
	ReasonOwnAllocation
	ReasonAllocationDenied
	ReasonHideCasesNone
	ReasonHideMemberNoFinancials
	ReasonHidePlainMember
	ReasonHideManagerNoFinancials
	ReasonHidePlainMemberManager
	ReasonCaseReports
	ReasonFinancialReportHidden
	ReasonHistoryCase
	ReasonJoinAccountsNone
	ReasonJoinNo
	ReasonJoinOwnUnit
	ReasonJoinOutsideUnit
	ReasonJoinAny

	// Users and work hours (sections 4 and 6).
	ReasonOwnData
	ReasonUsersNone
	ReasonUsersSubordinate
	ReasonUserNotSubordinate
	ReasonUsersAll
	ReasonUsersAdd
	ReasonUsersAddDenied
	ReasonOwnRights
	ReasonRightsEscalation
	ReasonUserReportsBasic
	ReasonUserReports
	ReasonUserReportsDenied
	ReasonHistoryUsersNone
	ReasonHistoryOwnUser
	ReasonHourNotVisible
	ReasonHourBillable
	ReasonApprovalDisabled
	ReasonApprovalNone
	ReasonApprovalSubordinate
	ReasonApprovalNotSubordinate
	ReasonApprovalSelf
	ReasonApprovalSelfDenied
	ReasonApprovalOwnUnit
	ReasonApprovalOutsideUnit
	ReasonApprovalAll
	ReasonApprovalOwnCase

	// Invoices (section 5).
	ReasonInvoiceOwnerOnly
	ReasonInvoiceManagerNoFinancials
	ReasonInvoiceAnyStatus
	ReasonInvoiceWithinLimit
	ReasonInvoiceTargetBeyondLimit
	ReasonInvoiceBeyondLimit
	ReasonScheduledInvoicing
	ReasonScheduledInvoicingDenied

	// Travel (section 7).
	ReasonTravelDisabled
	ReasonTravelNone
	ReasonTravelOwn
	ReasonTravelOnlyOwn
	ReasonTravelCreateOnly
	ReasonTravelSubordinate
	ReasonTravelNotSubordinate
	ReasonTravelOwnUnit
	ReasonTravelOutsideUnit
	ReasonTravelAll
	ReasonTravelSelfApproval

	// Sharing, administrator, API, profiles (sections 8 to 11).
	ReasonSharedView
	ReasonSharing
	ReasonSharingDenied
	ReasonAdminNone
	ReasonAdminSettings
	ReasonAdminAllNeeded
	ReasonAdminAll
	ReasonUserManagement
	ReasonUserManagementDenied
	ReasonAPISwitch
	ReasonAPIKeyOthers
	ReasonAPIAccessOff
	ReasonAPIKeyOwn
	ReasonAPIRequest
	ReasonOwnProfile

	// Activities (section 12).
	ReasonActivityOwnerOrParticipant
	ReasonActivityParticipant
	ReasonActivityParticipantDelete
	ReasonActivityNotParticipant
	ReasonActivityPrivate
	ReasonActivityAbsence
	ReasonAbsenceSubordinate
	ReasonAbsenceAll
	ReasonActivityCaseMember
	ReasonActivityCaseOwnerLike
	ReasonActivityAccount
	ReasonActivityAccountsNone
	ReasonActivityNameOnly
	ReasonActivityEditDenied
	ReasonActivityAudienceOwner
	ReasonActivityPrivateAudience
	ReasonActivityAudienceDenied

	reasonCount
)

type reasonInfo struct {
	rules []string
	msg   string
}

func because(msg string, rules ...string) reasonInfo { return reasonInfo{rules: rules, msg: msg} }

var reasons = [reasonCount]reasonInfo{
	ReasonNone: because("no rule applies"),

	ReasonAccountsNone:             because("Accounts none: no accounts, contacts, addresses or their reports", "ACC-1"),
	ReasonAccountsView:             because("Accounts read_only or higher views every account, contact and address", "ACC-4"),
	ReasonAccountsEdit:             because("Accounts view_and_edit or higher adds and edits accounts", "ACC-5"),
	ReasonAccountsEditDenied:       because("adding or editing accounts needs view_and_edit or higher", "ACC-5"),
	ReasonAccountsDelete:           because("delete_accounts with view_and_edit or all", "ACC-7"),
	ReasonAccountsDeleteDenied:     because("deleting accounts needs delete_accounts and view_and_edit or all", "ACC-7"),
	ReasonAccountsAddActivity:      because("Accounts read_only or higher adds activities to accounts", "ACC-4"),
	ReasonHideAccountReportColumns: because("the accounts report's financial columns need Accounts all", "ACC-6"),

	ReasonAccountsNoneCases:          because("Accounts none overrides the Cases right: no case, invoice, proposal or resourcing", "ACC-2"),
	ReasonCasesNone:                  because("Cases none: only entering work on one's cases", "CASE-1"),
	ReasonCaseOwnerMemberLevel:       because("you own the case", "CASE-4"),
	ReasonCaseOwner:                  because("you own the case", "CASE-8"),
	ReasonCasesAll:                   because("Cases all: owner-like access to every case", "CASE-11"),
	ReasonCaseOwnUnit:                because("Cases own_unit: the case is in your unit or a sub-unit", "CASE-10", "ORG-3"),
	ReasonCaseSubordinateOwner:       because("the owner of the case is your subordinate", "CASE-9", "ORG-2"),
	ReasonCaseMember:                 because("you are a member of the case", "CASE-2", "ORG-4"),
	ReasonCaseNotVisible:             because("you are not a member of the case and have no owner-like access", "CASE-2"),
	ReasonCaseOwnerOnly:              because("only the owner or an owner-like user may do this", "CASE-12"),
	ReasonCaseCreate:                 because("Cases manager_no_financials or higher adds cases", "CASE-3"),
	ReasonCaseCreateDenied:           because("adding cases needs Cases manager_no_financials or higher", "CASE-3"),
	ReasonCaseDeleteDenied:           because("deleting a case needs delete_cases and Cases manager_no_financials or higher", "CASE-13"),
	ReasonRevenueManagerNoFinancials: because("manager_no_financials cannot recognize revenue", "CASE-7"),
	ReasonEnterWork:                  because("members and owners enter hours, travel and products", "CASE-12", "ACC-3"),
	ReasonEnterWorkDenied:            because("entering work needs membership or ownership of the case", "CASE-12"),
	ReasonOwnAllocation:              because("own_resource_allocations: your own allocation", "CASE-14"),
	ReasonAllocationDenied:           because("allocations of others need owner-like access; your own need own_resource_allocations", "CASE-14"),
	ReasonHideCasesNone:              because("Cases none sees no case financial data", "CASE-1"),
	ReasonHideMemberNoFinancials:     because("member_no_financials sees no financial data anywhere", "CASE-5"),
	ReasonHidePlainMember:            because("Cases member sees financial data only where owner-like", "CASE-6"),
	ReasonHideManagerNoFinancials:    because("manager_no_financials sees no financial data", "CASE-7"),
	ReasonHidePlainMemberManager:     because("no financial data where you are only a member", "CASE-8"),
	ReasonCaseReports:                because("case reports; each row shows a case you can view", "CASE-4"),
	ReasonFinancialReportHidden:      because("manager_no_financials: financial reports are hidden", "CASE-7"),
	ReasonHistoryCase:                because("case data in the change history of a case you can view", "CASE-16"),
	ReasonJoinAccountsNone:           because("Accounts none overrides joining cases", "JOIN-4", "ACC-2"),
	ReasonJoinNo:                     because("Join cases no: you cannot add yourself to cases", "JOIN-1"),
	ReasonJoinOwnUnit:                because("Join cases own_unit: the case is in your unit", "JOIN-2"),
	ReasonJoinOutsideUnit:            because("Join cases own_unit: the case is outside your unit", "JOIN-2"),
	ReasonJoinAny:                    because("Join cases any", "JOIN-3"),

	ReasonOwnData:                because("your own data", "USR-1"),
	ReasonUsersNone:              because("Users none reaches only your own data", "USR-1"),
	ReasonUsersSubordinate:       because("the user is your subordinate", "USR-2", "ORG-2"),
	ReasonUserNotSubordinate:     because("the user is not your subordinate", "USR-2"),
	ReasonUsersAll:               because("Users all reaches every user", "USR-4"),
	ReasonUsersAdd:               because("Users add_and_edit_subordinates or higher adds users", "USR-3", "USR-4"),
	ReasonUsersAddDenied:         because("adding users needs Users add_and_edit_subordinates or higher", "USR-3"),
	ReasonOwnRights:              because("nobody edits their own access rights", "USR-5"),
	ReasonRightsEscalation:       because("without Admin edit_settings you cannot grant rights above your own", "PRF-5"),
	ReasonUserReportsBasic:       because("everyone runs the activities, user analysis and work-hour summary reports", "USR-1"),
	ReasonUserReports:            because("Users edit_subordinates or higher runs the work-hour reports", "USR-2"),
	ReasonUserReportsDenied:      because("this report needs Users edit_subordinates or higher", "USR-1"),
	ReasonHistoryUsersNone:       because("Users none sees no user data in the change history", "USR-1"),
	ReasonHistoryOwnUser:         because("your own user data in the change history", "USR-2"),
	ReasonHourNotVisible:         because("not your hours, and neither Users nor approval rights reach them", "USR-1", "WHA-3"),
	ReasonHourBillable:           because("invoice access to the case; approval does not gate billing", "INV-1", "WHA-8"),
	ReasonApprovalDisabled:       because("work-hour approval is off: hours need no approval", "WHA-1"),
	ReasonApprovalNone:           because("approval none approves nothing", "WHA-2"),
	ReasonApprovalSubordinate:    because("the hours' user is your subordinate", "WHA-3", "ORG-2"),
	ReasonApprovalNotSubordinate: because("the hours' user is not your subordinate", "WHA-3"),
	ReasonApprovalSelf:           because("self_and_subordinates covers your own hours", "WHA-4"),
	ReasonApprovalSelfDenied:     because("your own hours need approval self_and_subordinates or higher", "WHA-4"),
	ReasonApprovalOwnUnit:        because("approval own_unit: the hours' user is in your unit, or it is you", "WHA-5"),
	ReasonApprovalOutsideUnit:    because("approval own_unit does not reach outside your unit, not even subordinates", "WHA-5"),
	ReasonApprovalAll:            because("approval all covers every user", "WHA-6"),
	ReasonApprovalOwnCase:        because("approve_own_cases: hours on a case you own", "WHA-7"),

	ReasonInvoiceOwnerOnly:           because("invoices need owner-like access to the case", "INV-1"),
	ReasonInvoiceManagerNoFinancials: because("manager_no_financials has no invoice access", "CASE-7", "INV-1"),
	ReasonInvoiceAnyStatus:           because("invoice status any", "INV-2"),
	ReasonInvoiceWithinLimit:         because("within your invoice status limit", "INV-3"),
	ReasonInvoiceTargetBeyondLimit:   because("the status is beyond your invoice status limit", "INV-3"),
	ReasonInvoiceBeyondLimit:         because("the invoice's status is beyond your limit: view only", "INV-4"),
	ReasonScheduledInvoicing:         because("scheduled_invoicing with invoice access", "INV-5"),
	ReasonScheduledInvoicingDenied:   because("scheduled invoicing needs scheduled_invoicing", "INV-5"),

	ReasonTravelDisabled:       because("travel reimbursements are off", "TRV-1"),
	ReasonTravelNone:           because("Travel none: no travel reimbursements", "TRV-1"),
	ReasonTravelOwn:            because("your own travel reimbursement", "TRV-2"),
	ReasonTravelOnlyOwn:        because("travel reimbursements are added and changed only by the traveller", "TRV-2"),
	ReasonTravelCreateOnly:     because("Travel create reaches only your own", "TRV-2"),
	ReasonTravelSubordinate:    because("the traveller is your subordinate", "TRV-3", "ORG-2"),
	ReasonTravelNotSubordinate: because("the traveller is not your subordinate", "TRV-3"),
	ReasonTravelOwnUnit:        because("the traveller is in your unit", "TRV-4"),
	ReasonTravelOutsideUnit:    because("approve_own_unit does not reach outside your unit, not even subordinates", "TRV-4"),
	ReasonTravelAll:            because("approve_all reaches everyone, yourself included", "TRV-5"),
	ReasonTravelSelfApproval:   because("only approve_all approves one's own travel", "TRV-5"),

	ReasonSharedView:           because("everyone sees shared reports and dashboards", "SHR-1"),
	ReasonSharing:              because("sharing yes", "SHR-2"),
	ReasonSharingDenied:        because("creating shared reports and dashboards needs sharing", "SHR-2"),
	ReasonAdminNone:            because("Admin none: no settings, upgrades, exports or imports", "ADM-1"),
	ReasonAdminSettings:        because("Admin edit_settings or higher edits the settings", "ADM-2"),
	ReasonAdminAllNeeded:       because("this needs Admin all", "ADM-3"),
	ReasonAdminAll:             because("Admin all", "ADM-3"),
	ReasonUserManagement:       because("user management through Users edit_subordinates or higher", "ADM-1"),
	ReasonUserManagementDenied: because("user management needs Users edit_subordinates or higher", "ADM-1"),
	ReasonAPISwitch:            because("you manage this user and may switch their API access", "API-2"),
	ReasonAPIKeyOthers:         because("only the user creates or revokes their own API key", "API-2", "API-3"),
	ReasonAPIAccessOff:         because("API access is switched off for this user", "API-1", "API-3"),
	ReasonAPIKeyOwn:            because("your own API key, with API access on", "API-3"),
	ReasonAPIRequest:           because("API key of a user with API access: exactly that user's rights", "API-1", "API-4"),
	ReasonOwnProfile:           because("nobody edits the profile they use", "PRF-3"),

	ReasonActivityOwnerOrParticipant: because("you own or take part in the activity", "ACT-3"),
	ReasonActivityParticipant:        because("participants may remove themselves", "ACT-3"),
	ReasonActivityParticipantDelete:  because("participants cannot delete an activity, only leave it", "ACT-3"),
	ReasonActivityNotParticipant:     because("you do not take part in the activity", "ACT-3"),
	ReasonActivityPrivate:            because("personal: content only for the owner and participants", "ACT-5"),
	ReasonActivityAbsence:            because("out of office: content only for the owner and their managers", "ACT-4"),
	ReasonAbsenceSubordinate:         because("absence of your subordinate", "ACT-4", "USR-2"),
	ReasonAbsenceAll:                 because("Users all: absences of every user", "ACT-4", "USR-4"),
	ReasonActivityCaseMember:         because("you are a member of the activity's case", "ACT-6", "CASE-15"),
	ReasonActivityCaseOwnerLike:      because("owner-like access to the activity's case", "CASE-15"),
	ReasonActivityAccount:            because("account access views activities linked to accounts", "ACT-7", "ACC-8"),
	ReasonActivityAccountsNone:       because("Accounts none cannot add activities to accounts or cases", "ACC-1"),
	ReasonActivityNameOnly:           because("no view right: type and name only", "ACT-2", "ACT-1"),
	ReasonActivityEditDenied:         because("only the owner, participants, managers of the owner or the case's members edit it", "ACT-3"),
	ReasonActivityAudienceOwner:      because("you own the activity and decide who takes part and who sees it", "ACT-3"),
	ReasonActivityPrivateAudience:    because("personal: only the owner changes its participants, category, case or account", "ACT-5", "ACT-3"),
	ReasonActivityAudienceDenied:     because("only the owner or the owner's managers change an activity's participants, category, case or account; participants may only remove themselves", "ACT-3"),
}

// Rules returns the RIGHTS.md IDs behind the reason, most specific first.
func (x Reason) Rules() []string {
	if x >= reasonCount {
		return nil
	}
	return slices.Clone(reasons[x].rules)
}

// Message returns the human explanation, without rule IDs.
func (x Reason) Message() string {
	if x >= reasonCount {
		return "unknown reason"
	}
	return reasons[x].msg
}

// String returns "RULE-1, RULE-2: message", e.g. "CASE-9, ORG-2: the owner of the case is your subordinate".
func (x Reason) String() string {
	if x >= reasonCount || len(reasons[x].rules) == 0 {
		return x.Message()
	}
	return strings.Join(reasons[x].rules, ", ") + ": " + reasons[x].msg
}
