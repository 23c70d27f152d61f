// Package scope turns the rules of pkg/rights into SQL conditions, so that a list endpoint
// returns exactly the rows the single-object decision would allow (STYLE rule 2): a row the
// caller may not view behaves like a row that does not exist (STYLE rule 3).
//
// Each XView function is a bun query modifier that mirrors one Decide function:
//
//	q.ModelTableExpr("work_hours AS h").Apply(scope.HourView(s, "h"))
//
// The modifiers take their sets from the pure list scopes of pkg/rights (ViewableCases,
// InvoiceCases, ViewableHours, ViewableTravel), so the rules are written once. Attributes that
// live in other tables (a work hour's case owner, its user's unit, a case's members) are
// reached through correlated EXISTS subqueries that the modifier writes itself: the caller
// joins nothing, and the row count of the outer query never changes. Id lists are bound with
// bun.In; an empty set drops its condition rather than producing "IN ()", and a scope that
// holds nothing becomes "1 = 0".
//
// Subqueries alias their tables after the caller's alias (alias_case, alias_case_member,
// alias_user, alias_participant), so callers should not use those names themselves.
//
// scope_property_test.go proves, on random organisations and on both SQLite and PostgreSQL,
// that every modifier returns exactly the rows the decision allows.
package scope
