package rights

// Decision is the answer to "may this subject do this to this object?". It is a small value:
// deciding allocates nothing. When a subject may not even view an object, the HTTP layer
// answers 404, and 403 only when viewing is allowed but the action is not (STYLE rule 3).
type Decision struct {
	Allow bool
	// Hidden lists the attribute groups to drop from the response (CASE-5..8, ACC-6).
	Hidden FieldMask
	// Reason names the rule that decided Allow.
	Reason Reason
	// HiddenBy names the rule that decided Hidden; zero when nothing is hidden.
	HiddenBy Reason
}

func allow(r Reason) Decision { return Decision{Allow: true, Reason: r} }

func deny(r Reason) Decision { return Decision{Reason: r} }

// masked returns d with the given mask when d allows; a denial hides nothing.
func (d Decision) masked(m FieldMask, by Reason) Decision {
	if d.Allow && m != 0 {
		d.Hidden, d.HiddenBy = m, by
	}
	return d
}

// String renders the decision for logs and tests, e.g. "allow (CASE-9: …)".
func (d Decision) String() string {
	verb := "deny"
	if d.Allow {
		verb = "allow"
	}
	s := verb + " (" + d.Reason.String() + ")"
	if d.Hidden != 0 {
		s += " hiding financial data (" + d.HiddenBy.String() + ")"
	}
	return s
}
