// Package rights decides who may do what in Caseroom, rule by rule of spec/RIGHTS.md. It is pure:
// no I/O, no clock, no database (STYLE rule 1).
//
// A request builds one Subject (effective rights from Effective, organisation sets from an Org,
// memberships, settings) and asks Decide* functions about small attribute structs (CaseAttrs,
// HourAttrs, …). Each Decision says allow or deny, which attribute groups to drop from the
// response (FieldMask), and the Reason: the rule IDs that decided it, for the explain endpoint.
// Deciding allocates nothing.
//
// Lists use the *Scope values (ViewableCases, InvoiceCases, ViewableHours, ViewableTravel), which
// hold exactly what the single-object decisions allow (STYLE rule 2); masks of list rows are
// decided per row. When a subject may not view an object, the HTTP layer answers 404; 403 only
// when it may view the object but not take the action (STYLE rule 3).
package rights
