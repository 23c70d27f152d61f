package server

import (
	"context"
	"strconv"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
)

// includeCaseRelated adds the requested related resources of cases to doc.Included,
// once each.
func (s *Server) includeCaseRelated(ctx context.Context, doc *jsonapi.Document, q jsonapi.Query, cases []*model.Case) error {
	seen := map[string]bool{}
	for _, name := range q.Include {
		for _, cs := range cases {
			target := map[string]int64{"account": cs.AccountID, "owner": cs.OwnerID, "unit": cs.UnitID}[name]
			if target == 0 || seen[name+"/"+strconv.FormatInt(target, 10)] {
				continue
			}
			seen[name+"/"+strconv.FormatInt(target, 10)] = true
			r, err := s.relatedResource(ctx, name, target)
			if err != nil {
				return err
			}
			if r != nil {
				doc.Included = append(doc.Included, r)
			}
		}
	}
	return nil
}

// relatedResource loads one resource a case points at. Accounts, users and units shown
// here are the case's own, which the caller may see by seeing the case.
func (s *Server) relatedResource(ctx context.Context, name string, id int64) (*jsonapi.Resource, error) {
	sid := strconv.FormatInt(id, 10)
	switch name {
	case "account":
		var a model.Account
		if err := s.db.NewSelect().Model(&a).Where("id = ?", id).Scan(ctx); err != nil {
			return nil, apperr.Wrap(err, "include account")
		}
		return &jsonapi.Resource{Type: "accounts", ID: sid, Attributes: map[string]any{"name": a.Name},
			Links: &jsonapi.Links{Self: apiBase + "/accounts/" + sid}}, nil
	case "owner":
		var u model.User
		if err := s.db.NewSelect().Model(&u).Where("id = ?", id).Scan(ctx); err != nil {
			return nil, apperr.Wrap(err, "include owner")
		}
		return &jsonapi.Resource{Type: "users", ID: sid, Attributes: map[string]any{"name": u.Name, "email": u.Email},
			Links: &jsonapi.Links{Self: apiBase + "/users/" + sid}}, nil
	case "unit":
		var b model.BusinessUnit
		if err := s.db.NewSelect().Model(&b).Where("id = ?", id).Scan(ctx); err != nil {
			return nil, apperr.Wrap(err, "include unit")
		}
		return &jsonapi.Resource{Type: "business-units", ID: sid, Attributes: map[string]any{"name": b.Name},
			Links: &jsonapi.Links{Self: apiBase + "/business-units/" + sid}}, nil
	}
	return nil, nil
}
