package rights

// Explanation is a Decision rendered for the explain endpoint and for audit logs.
type Explanation struct {
	Allowed bool     `json:"allowed"`
	Rules   []string `json:"rules"`
	Message string   `json:"message"`
	// Hidden lists the attributes dropped from the response, with the rules that drop them.
	Hidden      []string `json:"hidden,omitempty"`
	HiddenRules []string `json:"hiddenRules,omitempty"`
}

// Explain renders d: "allowed because CASE-9 (the owner of the case is your subordinate)".
func Explain(d Decision) Explanation {
	e := Explanation{Allowed: d.Allow, Rules: d.Reason.Rules(), Message: d.Reason.Message()}
	if d.Hidden != 0 {
		e.Hidden, e.HiddenRules = d.Hidden.Fields(), d.HiddenBy.Rules()
	}
	return e
}

// Viewer is one subject who may view a case, and why.
type Viewer struct {
	UserID   int64
	Decision Decision
}

// CaseViewers returns, in input order, the subjects who may view c and the rule that lets each
// one (CASE-2, CASE-4, CASE-8..11), with what each sees hidden (CASE-5..8).
func CaseViewers(c CaseAttrs, subjects []*Subject) []Viewer {
	var out []Viewer
	for _, s := range subjects {
		if d := DecideCase(s, CaseView, c); d.Allow {
			out = append(out, Viewer{UserID: s.UserID, Decision: d})
		}
	}
	return out
}
