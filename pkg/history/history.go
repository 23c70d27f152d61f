// Package history records the change history: who changed which resource, when, and each
// changed field's value before and after. Every write of every resource calls Record in the
// same transaction as the write, so history and data never disagree.
package history

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/model"
)

// Actor is who made a change: an employee or an extranet contact.
type Actor struct {
	UserID    int64
	ContactID int64
}

// Change is one field's value before and after.
type Change struct {
	Before any `json:"before"`
	After  any `json:"after"`
}

// Entry is one recorded write.
type Entry struct {
	Actor         Actor
	Action        string // create, update, delete
	ResourceType  string // JSON:API type, e.g. "cases"
	ResourceID    int64
	CaseID        int64 // the case the resource belongs to, for CASE-16 scoping; 0 if none
	SubjectUserID int64 // the user the resource is about, for USR-1/USR-2 scoping; 0 if none
	Changes       map[string]Change
}

// Diff returns the fields whose values differ between before and after (attribute maps).
// A field missing on one side counts as nil there.
func Diff(before, after map[string]any) map[string]Change {
	out := map[string]Change{}
	for k, a := range after {
		if b := before[k]; !reflect.DeepEqual(b, a) {
			out[k] = Change{Before: b, After: a}
		}
	}
	for k, b := range before {
		if _, ok := after[k]; !ok {
			out[k] = Change{Before: b}
		}
	}
	return out
}

// Record writes e with tx at now. An update without changes records nothing.
func Record(ctx context.Context, tx bun.IDB, now time.Time, e Entry) error {
	if e.Action == "update" && len(e.Changes) == 0 {
		return nil
	}
	raw, err := json.Marshal(e.Changes) // encoding/json sorts map keys: stable output
	if err != nil {
		return fmt.Errorf("encode changes of %s %d: %w", e.ResourceType, e.ResourceID, err)
	}
	rec := &model.ChangeRecord{
		OccurredAt:   now.UTC(),
		Action:       e.Action,
		ResourceType: e.ResourceType,
		ResourceID:   e.ResourceID,
		Changes:      string(raw),
	}
	if e.Actor.UserID != 0 {
		rec.ActorUserID = &e.Actor.UserID
	}
	if e.Actor.ContactID != 0 {
		rec.ActorContactID = &e.Actor.ContactID
	}
	if e.CaseID != 0 {
		rec.CaseID = &e.CaseID
	}
	if e.SubjectUserID != 0 {
		rec.SubjectUserID = &e.SubjectUserID
	}
	if _, err := tx.NewInsert().Model(rec).Exec(ctx); err != nil {
		return fmt.Errorf("record change of %s %d: %w", e.ResourceType, e.ResourceID, err)
	}
	return nil
}
