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
