package server

import (
	"context"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

type contactBody struct {
	FirstName *string                       `jsonapi:"firstName"`
	LastName  *string                       `jsonapi:"lastName"`
	Email     *string                       `jsonapi:"email"`
	Phone     *string                       `jsonapi:"phone"`
	Title     *string                       `jsonapi:"title"`
	Active    *bool                         `jsonapi:"active"`
	Version   *int64                        `jsonapi:"version"`
	Account   *jsonapi.IncomingRelationship `jsonapi:"account,rel"`
}

func contactResource(ct *model.Contact) *jsonapi.Resource {
	id := strconv.FormatInt(ct.ID, 10)
	return &jsonapi.Resource{Type: "contacts", ID: id,
		Attributes: map[string]any{"firstName": ct.FirstName, "lastName": ct.LastName, "email": ct.Email, "phone": ct.Phone,
			"title": ct.Title, "active": ct.Active, "version": ct.Version, "createdAt": ct.CreatedAt.UTC(), "updatedAt": ct.UpdatedAt.UTC()},
		Relationships: map[string]jsonapi.Relationship{"account": toOne("contacts", id, "account", "accounts", ct.AccountID)},
		Links:         &jsonapi.Links{Self: apiBase + "/contacts/" + id}}
}

func contactSnapshot(ct *model.Contact) map[string]any {
	return map[string]any{"firstName": ct.FirstName, "lastName": ct.LastName, "email": ct.Email, "phone": ct.Phone,
		"title": ct.Title, "active": ct.Active, "account": ct.AccountID}
}

// listContacts answers GET /api/v1/contacts (ACC-1, ACC-4).
func (s *Server) listContacts(c *fiber.Ctx) error {
	return collection[model.Contact]{table: "contacts AS ct", scope: accountScope(caller(c)),
		sorts:   map[string]string{"lastName": "ct.last_name", "firstName": "ct.first_name", "email": "ct.email"},
		filters: map[string]string{"account": "ct.account_id", "email": "ct.email"},
		include: []string{"account"}, resource: contactResource}.run(s, c)
}

func (s *Server) getContact(c *fiber.Ctx) error {
	return contactParts.get(s, c)
}

// accountExists checks the account a child resource points at.
func accountExists(ctx context.Context, db bun.IDB, rel *jsonapi.IncomingRelationship) (int64, error) {
	id, null, err := relID(rel, "accounts", "/data/relationships/account")
	if err != nil {
		return 0, err
	}
	if null {
		return 0, apperr.E(apperr.Invalid, "account is required").AtPointer("/data/relationships/account")
	}
	if ok, err := db.NewSelect().Model((*model.Account)(nil)).Where("id = ?", id).Exists(ctx); err != nil || !ok {
		return 0, apperr.E(apperr.Invalid, "No account %d.", id).AtPointer("/data/relationships/account")
	}
	return id, nil
}

// applyContact validates and applies a contact body; a contact always has a valid email,
// because it is how the extranet reaches them (EXT-1).
func applyContact(ct *model.Contact, req *contactBody) error {
	for ptr, v := range map[string]*string{"firstName": req.FirstName, "lastName": req.LastName} {
		if v != nil && strings.TrimSpace(*v) == "" {
			return apperr.E(apperr.Invalid, "%s may not be empty", ptr).AtPointer("/data/attributes/" + ptr)
		}
	}
	if req.Email != nil && !validEmail(strings.TrimSpace(*req.Email)) {
		return apperr.E(apperr.Invalid, "not a valid email address").AtPointer("/data/attributes/email")
	}
	setIf(&ct.FirstName, req.FirstName)
	setIf(&ct.LastName, req.LastName)
	if req.Email != nil {
		ct.Email = strings.ToLower(strings.TrimSpace(*req.Email))
	}
	setIf(&ct.Phone, req.Phone)
	setIf(&ct.Title, req.Title)
	if req.Active != nil {
		ct.Active = *req.Active
	}
	return nil
}

// emailPointer is where a contact's email sits in a request document.
const emailPointer = "/data/attributes/email"

// createContact answers POST /api/v1/contacts (ACC-5); an email another contact logs in to
// the portal with is a conflict (portalEmailFree).
func (s *Server) createContact(c *fiber.Ctx) error {
	p := caller(c)
	if err := decideAccount(p, rights.AccountCreate); err != nil {
		return err
	}
	var req contactBody
	if err := bind(c, "contacts", "", &req, "version"); err != nil {
		return err
	}
	if req.FirstName == nil || req.LastName == nil || req.Email == nil || req.Account == nil {
		return apperr.E(apperr.Invalid, "firstName, lastName, email and the account relationship are required").AtPointer("/data")
	}
	now := s.now().UTC()
	ct := &model.Contact{Active: true, Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := applyContact(ct, &req); err != nil {
		return err
	}
	err := s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if ct.AccountID, err = accountExists(ctx, tx, req.Account); err != nil {
			return err
		}
		if err := domain.PortalEmailFree(ctx, tx, ct.Email, 0, emailPointer); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(ct).Returning("*").Exec(ctx); err != nil {
			return apperr.Wrap(err, "insert contact")
		}
		return s.record(ctx, tx, p, history.Entry{Action: "create", ResourceType: "contacts", ResourceID: ct.ID,
			Changes: history.Diff(nil, contactSnapshot(ct))})
	})
	if err != nil {
		return err
	}
	return writeOne(c, fiber.StatusCreated, contactResource(ct))
}

// updateContact answers PATCH /api/v1/contacts/:id (ACC-5). A contact stays with its account,
// and a new email another contact logs in to the portal with is a conflict (portalEmailFree).
func (s *Server) updateContact(c *fiber.Ctx) error {
	p := caller(c)
	if err := decideAccount(p, rights.AccountEdit); err != nil {
		return err
	}
	id, err := pathID(c, "contact")
	if err != nil {
		return err
	}
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		var ct model.Contact
		if err := getOne(ctx, tx, &ct, "contacts AS ct", id); err != nil {
			return err
		}
		var req contactBody
		if err := bind(c, "contacts", strconv.FormatInt(id, 10), &req, "account"); err != nil {
			return err
		}
		if err := expectVersion(c, req.Version, ct.Version); err != nil {
			return err
		}
		before, oldEmail := contactSnapshot(&ct), ct.Email
		if err := applyContact(&ct, &req); err != nil {
			return err
		}
		if ct.Email != oldEmail {
			if err := domain.PortalEmailFree(ctx, tx, ct.Email, ct.ID, emailPointer); err != nil {
				return err
			}
		}
		ct.UpdatedAt = s.now().UTC()
		if err := db.BumpVersion(ctx, tx, "contacts", ct.ID, ct.Version, func(q *bun.UpdateQuery) *bun.UpdateQuery {
			return q.Set("first_name = ?", ct.FirstName).Set("last_name = ?", ct.LastName).Set("email = ?", ct.Email).
				Set("phone = ?", ct.Phone).Set("title = ?", ct.Title).Set("active = ?", ct.Active).Set("updated_at = ?", ct.UpdatedAt)
		}); err != nil {
			return err
		}
		ct.Version++
		if !ct.Active {
			// A disabled contact loses the portal on their next request (EXT-9).
			if _, err := tx.NewUpdate().Model((*model.ContactCredential)(nil)).Set("token_version = token_version + 1").
				Where("contact_id = ?", ct.ID).Exec(ctx); err != nil {
				return apperr.Wrap(err, "end contact sessions")
			}
		}
		if err := s.record(ctx, tx, p, history.Entry{Action: "update", ResourceType: "contacts", ResourceID: ct.ID,
			Changes: history.Diff(before, contactSnapshot(&ct))}); err != nil {
			return err
		}
		return writeOne(c, fiber.StatusOK, contactResource(&ct))
	})
}

// deleteContact answers DELETE /api/v1/contacts/:id (ACC-7); their shares go with them.
func (s *Server) deleteContact(c *fiber.Ctx) error {
	return contactParts.delete(s, c)
}

// contactKind is the contacts type of the registry.
func (s *Server) contactKind() kind {
	return kind{name: "contacts", list: s.listContacts, create: s.createContact, get: s.getContact, update: s.updateContact, remove: s.deleteContact,
		batch: oneByOne(func(ctx context.Context, p *principal, id int64) (*jsonapi.Resource, error) {
			if !rights.DecideAccount(p.Subject, rights.AccountView, rights.AccountAttrs{}).Allow {
				return nil, nil
			}
			var ct model.Contact
			if err := getOne(ctx, s.db, &ct, "contacts AS ct", id); err != nil {
				return nil, err
			}
			return contactResource(&ct), nil
		})}
}
