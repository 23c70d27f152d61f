package server

import (
	"strconv"
	"strings"

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
