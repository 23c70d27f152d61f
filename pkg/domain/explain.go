package domain

import "github.com/caseroom/caseroom/pkg/rights"

// Explain decides the action named action on one object of type typ (its resource type,
// "work-hours") for another employee's subject, for GET /access/explain: actions names the
// type's actions, load reads the attributes decide (the type's rights function) takes. An
// unknown name is apperr.Invalid (UnknownAction) before anything is read; then the errors
// of load (NotFound for a missing object, a database failure wrapped with its id).
func Explain[A, T any](subject *rights.Subject, actions map[string]A, action, typ string,
	decide func(*rights.Subject, A, T) rights.Decision, load func() (T, error)) (rights.Decision, error) {
	act, ok := actions[action]
	if !ok {
		return rights.Decision{}, UnknownAction(action, typ)
	}
	attrs, err := load()
	if err != nil {
		return rights.Decision{}, err
	}
	return decide(subject, act, attrs), nil
}
