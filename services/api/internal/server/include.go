package server

import (
	"context"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// include adds to doc.Included the resources that the requested relationships of its primary
// data point at, each once. Every included resource goes through the same view decision and
// masking as its own endpoint: an object the caller may not view is simply left out, so
// include can never show what a GET of that object would hide.
func (s *Server) include(ctx context.Context, p *principal, doc *jsonapi.Document, q jsonapi.Query) error {
	seen := map[string]bool{}
	for _, name := range q.Include {
		for _, res := range doc.Data.Resources() {
			rel, ok := res.Relationships[name]
			if !ok {
				continue
			}
			for _, id := range rel.Data.Targets() {
				key := id.Type + "/" + id.ID
				if seen[key] || key == res.Type+"/"+res.ID {
					continue
				}
				seen[key] = true
				r, err := s.visibleResource(ctx, p, id.Type, id.ID)
				if err != nil {
					return err
				}
				if r != nil {
					doc.Included = append(doc.Included, r)
				}
			}
		}
	}
	return nil
}

// visibleResource renders one resource as its endpoint would for p, or nil when p may not
// view it.
func (s *Server) visibleResource(ctx context.Context, p *principal, typ, rawID string) (*jsonapi.Resource, error) {
	hidden := func(err error) (*jsonapi.Resource, error) {
		if apperr.CodeOf(err) == apperr.NotFound || apperr.CodeOf(err) == apperr.Forbidden {
			return nil, nil
		}
		return nil, err
	}
	id, err := strconv.ParseInt(rawID, 10, 64)
	if err != nil {
		return nil, nil
	}
	switch typ {
	case "cases":
		row, d, err := s.loadCase(ctx, p, rawID, rights.CaseView)
		if err != nil {
			return hidden(err)
		}
		return caseResource(row, d), nil
	case "users":
		var u model.User
		if err := getOne(ctx, s.db, &u, "users AS u", id); err != nil {
			return hidden(err)
		}
		ovs, err := s.overridesOf(ctx, s.db, u.ID)
		if err != nil {
			return nil, err
		}
		return s.userResource(p, &u, ovs[u.ID]), nil
	case "accounts", "contacts":
		if !rights.DecideAccount(p.Subject, rights.AccountView, rights.AccountAttrs{}).Allow {
			return nil, nil
		}
		if typ == "accounts" {
			var a model.Account
			if err := getOne(ctx, s.db, &a, "accounts AS a", id); err != nil {
				return hidden(err)
			}
			return accountResource(&a), nil
		}
		var ct model.Contact
		if err := getOne(ctx, s.db, &ct, "contacts AS ct", id); err != nil {
			return hidden(err)
		}
		return contactResource(&ct), nil
	case "business-units":
		var b model.BusinessUnit
		if err := getOne(ctx, s.db, &b, "business_units AS b", id); err != nil {
			return hidden(err)
		}
		return unitResource(&b), nil
	case "phases":
		ph, err := s.loadPhase(ctx, s.db, p, rights.CaseView, rawID)
		if err != nil {
			return hidden(err)
		}
		return phaseResource(ph), nil
	case "invoices":
		r, d, _, err := s.loadInvoice(ctx, s.db, p, rawID, rights.InvoiceView)
		if err != nil {
			return hidden(err)
		}
		return invoiceResource(r, d), nil
	case "work-hours":
		h, d, err := s.loadHour(ctx, s.db, p, rawID, rights.HourView)
		if err != nil {
			return hidden(err)
		}
		return hourResource(h, d), nil
	case "files":
		f, err := s.loadFile(ctx, s.db, p, rights.CaseView, rawID)
		if err != nil {
			return hidden(err)
		}
		return fileResource(f), nil
	case "comments":
		var cm model.Comment
		if err := s.loadCasePart(ctx, s.db, p, rights.CaseView, "comment", "comments AS cm", rawID, &cm, func() int64 { return cm.CaseID }); err != nil {
			return hidden(err)
		}
		return commentResource(&cm), nil
	case "travel-reimbursements":
		t, err := s.loadTravel(ctx, s.db, p, rawID, rights.TravelView)
		if err != nil {
			return hidden(err)
		}
		return travelResource(t), nil
	case "activities":
		a, err := s.loadActivity(ctx, s.db, rawID)
		if err != nil {
			return hidden(err)
		}
		v, _ := rights.ActivityVisibility(p.Subject, a.attrs())
		return activityResource(a, v), nil
	case "addresses":
		if !rights.DecideAccount(p.Subject, rights.AccountView, rights.AccountAttrs{}).Allow {
			return nil, nil
		}
		var ad model.Address
		if err := getOne(ctx, s.db, &ad, "addresses AS ad", id); err != nil {
			return hidden(err)
		}
		return addressResource(&ad), nil
	case "extranet-shares":
		sh, _, err := s.loadShare(ctx, s.db, p, rawID)
		if err != nil {
			return hidden(err)
		}
		list, err := s.shareContacts(ctx, s.db, sh.ID)
		if err != nil {
			return nil, err
		}
		return shareResource(sh, list), nil
	case "profiles":
		if !rights.DecideProfile(p.Subject, rights.ProfileView, 0).Allow {
			return nil, nil
		}
		var row profileRow
		if err := s.db.NewSelect().Model(&row).Apply(profileQuery).Where("profile.id = ?", id).Scan(ctx); err != nil {
			if isNoRows(err) {
				return nil, nil
			}
			return nil, apperr.Wrap(err, "load profile")
		}
		return profileResource(&row), nil
	case "api-keys":
		var k model.APIKey
		if err := s.db.NewSelect().Model(&k).Where("id = ? AND user_id = ?", id, p.User.ID).Scan(ctx); err != nil {
			if isNoRows(err) {
				return nil, nil
			}
			return nil, apperr.Wrap(err, "load api key")
		}
		return apiKeyResource(&k, ""), nil
	case "invoice-statuses":
		var st model.InvoiceStatus
		if err := getOne(ctx, s.db, &st, "invoice_statuses AS ist", id); err != nil {
			return hidden(err)
		}
		return statusResource(&st), nil
	}
	return nil, nil
}

// writeIncluding renders one resource with the includes and sparse fieldsets the query asks
// for; names lists the relationships that may be included.
func (s *Server) writeIncluding(c *fiber.Ctx, p *principal, res *jsonapi.Resource, names ...string) error {
	q, err := jsonapi.ParseQueryCtx(c, jsonapi.QuerySpec{Include: names})
	if err != nil {
		return err
	}
	doc := jsonapi.Document{Data: jsonapi.One(res)}
	if err := s.include(c.UserContext(), p, &doc, q); err != nil {
		return err
	}
	doc.ApplyFields(q)
	return jsonapi.WriteDocument(c, fiber.StatusOK, doc)
}

// relationship answers GET /api/v1/{type}/{id}/relationships/{rel}: the linkage of one
// relationship of a resource the caller may view; anything else is missing.
func (s *Server) relationship(c *fiber.Ctx) error {
	src, rel, err := s.sourceRelationship(c)
	if err != nil {
		return err
	}
	return jsonapi.WriteDocument(c, fiber.StatusOK, jsonapi.Document{Data: rel.Data.Data(),
		Links: jsonapi.RelationshipLinks(apiBase, src.Type, src.ID, c.Params("rel"))})
}

// related answers GET /api/v1/{type}/{id}/{rel}: the resources a relationship points at, each
// decided and masked like its own GET. A to-one target the caller may not view is missing; a
// to-many list leaves such targets out.
func (s *Server) related(c *fiber.Ctx) error {
	p := caller(c)
	_, rel, err := s.sourceRelationship(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	var out []*jsonapi.Resource
	for _, t := range rel.Data.Targets() {
		r, err := s.visibleResource(ctx, p, t.Type, t.ID)
		if err != nil {
			return err
		}
		if r != nil {
			out = append(out, r)
		} else if !rel.Data.IsMany() {
			return apperr.E(apperr.NotFound, "No such %s.", c.Params("rel"))
		}
	}
	if rel.Data.IsMany() {
		return jsonapi.WriteDocument(c, fiber.StatusOK, jsonapi.Document{Data: jsonapi.Many(out)})
	}
	if len(out) == 0 {
		return jsonapi.WriteDocument(c, fiber.StatusOK, jsonapi.Document{Data: jsonapi.Null()})
	}
	return jsonapi.WriteDocument(c, fiber.StatusOK, jsonapi.Document{Data: jsonapi.One(out[0])})
}

// sourceRelationship loads the resource of a relationship route as the caller sees it.
func (s *Server) sourceRelationship(c *fiber.Ctx) (*jsonapi.Resource, jsonapi.Relationship, error) {
	if _, err := jsonapi.ParseQueryCtx(c, jsonapi.QuerySpec{}); err != nil {
		return nil, jsonapi.Relationship{}, err
	}
	src, err := s.visibleResource(c.UserContext(), caller(c), c.Params("type"), c.Params("id"))
	if err != nil {
		return nil, jsonapi.Relationship{}, err
	}
	if src == nil {
		return nil, jsonapi.Relationship{}, apperr.E(apperr.NotFound, "No such resource.")
	}
	rel, ok := src.Relationships[c.Params("rel")]
	if !ok || rel.Data.IsZero() {
		return nil, jsonapi.Relationship{}, apperr.E(apperr.NotFound, "No relationship %q here.", c.Params("rel"))
	}
	return src, rel, nil
}
