package server

import (
	"strconv"
	"strings"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

const apiBase = "/api/v1"

// toOne is a to-one relationship with its self and related links.
func toOne(typ, id, name, targetType string, targetID int64) jsonapi.Relationship {
	return jsonapi.Relationship{
		Data:  jsonapi.ToOne(targetType, strconv.FormatInt(targetID, 10)),
		Links: jsonapi.RelationshipLinks(apiBase, typ, id, name),
	}
}

func nullableDate(d model.Date) any {
	if d == "" {
		return nil
	}
	return string(d)
}

// ruleList returns the rule IDs of a reason, comma-separated, for error meta.
func ruleList(r rights.Reason) string {
	return strings.Join(r.Rules(), ",")
}

// dateField is one optional, clearable date attribute of a request and where it goes.
type dateField struct {
	name string
	in   jsonapi.Nullable[string]
	out  *model.Date
}

// applyDates sets each sent date (null clears it), refusing anything but YYYY-MM-DD.
func applyDates(fields ...dateField) error {
	for _, f := range fields {
		if !f.in.Set {
			continue
		}
		if f.in.Null {
			*f.out = ""
			continue
		}
		d := model.Date(f.in.Value)
		if !d.Valid() {
			return apperr.E(apperr.Invalid, "%s must be a date like 2026-11-24", f.name).AtPointer("/data/attributes/" + f.name)
		}
		*f.out = d
	}
	return nil
}
