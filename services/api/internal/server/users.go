package server

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// userPatch is the body of POST and PATCH /users. Pointer fields: nil means "not sent".
type userPatch struct {
	Name       *string                       `jsonapi:"name"`
	Email      *string                       `jsonapi:"email"`
	Password   *string                       `jsonapi:"password"`
	Active     *bool                         `jsonapi:"active"`
	APIAccess  *bool                         `jsonapi:"apiAccess"`
	Overrides  *map[string]string            `jsonapi:"rightOverrides"`
	Version    *int64                        `jsonapi:"version"`
	Unit       *jsonapi.IncomingRelationship `jsonapi:"unit,rel"`
	Supervisor *jsonapi.IncomingRelationship `jsonapi:"supervisor,rel"`
	Profile    *jsonapi.IncomingRelationship `jsonapi:"profile,rel"`
}

// Decision (beyond the source): every employee sees the user directory (name, email, unit,
// supervisor), as calendars and case membership need it. Profile, overrides and the API switch
// are shown only to the user themself and to those who manage the user (USR-2, USR-4).
func (s *Server) userResource(p *principal, u *model.User, overrides map[string]string) *jsonapi.Resource {
	id := strconv.FormatInt(u.ID, 10)
	res := &jsonapi.Resource{
		Type: "users", ID: id,
		Attributes: map[string]any{"name": u.Name, "email": u.Email, "active": u.Active, "version": u.Version},
		Relationships: map[string]jsonapi.Relationship{
			"unit": toOne("users", id, "unit", "business-units", u.UnitID),
		},
		Links: &jsonapi.Links{Self: apiBase + "/users/" + id},
	}
	if u.SupervisorID != nil {
		res.Relationships["supervisor"] = toOne("users", id, "supervisor", "users", *u.SupervisorID)
	} else {
		res.Relationships["supervisor"] = jsonapi.Relationship{Data: jsonapi.ToOneNull(), Links: jsonapi.RelationshipLinks(apiBase, "users", id, "supervisor")}
	}
	if u.ID == p.User.ID || rights.DecideUser(p.Subject, rights.UserEdit, rights.UserAttrs{ID: u.ID, UnitID: u.UnitID}).Allow {
		res.Attributes["apiAccess"] = u.APIAccess
		if overrides == nil {
			overrides = map[string]string{}
		}
		res.Attributes["rightOverrides"] = overrides
		res.Relationships["profile"] = toOne("users", id, "profile", "profiles", u.ProfileID)
	}
	return res
}

func (s *Server) overridesOf(ctx context.Context, db bun.IDB, userIDs ...int64) (map[int64]map[string]string, error) {
	out := map[int64]map[string]string{}
	if len(userIDs) == 0 {
		return out, nil
	}
	var rows []model.RightOverride
	if err := db.NewSelect().Model(&rows).Where("user_id IN (?)", bun.In(userIDs)).Scan(ctx); err != nil {
		return nil, apperr.Wrap(err, "load overrides")
	}
	for _, r := range rows {
		if out[r.UserID] == nil {
			out[r.UserID] = map[string]string{}
		}
		out[r.UserID][r.RightName] = r.Value
	}
	return out, nil
}

// listUsers answers GET /api/v1/users: the user directory.
func (s *Server) listUsers(c *fiber.Ctx) error {
	p := caller(c)
	q, err := jsonapi.ParseQueryCtx(c, jsonapi.QuerySpec{Sort: []string{"name", "email"}, Filters: []string{"unit", "active"}, Include: []string{"unit", "supervisor", "profile"}})
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	var users []model.User
	sel := s.db.NewSelect().Model(&users)
	for name, col := range map[string]string{"unit": "unit_id", "active": "active"} {
		if raw, ok := q.FilterValue(name); ok {
			v, err := listing.FilterValue(name, col, raw)
			if err != nil {
				return err
			}
			sel = sel.Where("? = ?", bun.Ident(col), v)
		}
	}
	for _, sf := range q.Sort {
		sel = sel.OrderExpr("? "+map[bool]string{false: "ASC", true: "DESC"}[sf.Desc], bun.Ident(sf.Field))
	}
	total, err := sel.OrderExpr("id").Limit(int64(q.Page.Limit())).Offset(int64(q.Page.Offset())).ScanAndCount(ctx)
	if err != nil {
		return apperr.Wrap(err, "list users")
	}
	ids := make([]int64, len(users))
	for i := range users {
		ids[i] = users[i].ID
	}
	ovs, err := s.overridesOf(ctx, s.db, ids...)
	if err != nil {
		return err
	}
	out := make([]*jsonapi.Resource, len(users))
	for i := range users {
		out[i] = s.userResource(p, &users[i], ovs[users[i].ID])
	}
	links := jsonapi.PageLinks(c.Path(), string(c.Request().URI().QueryString()), q, int(total))
	doc := jsonapi.Document{Data: jsonapi.Many(out), Links: &links, Meta: jsonapi.Meta{"total": total}}
	if err := s.include(ctx, p, &doc, q); err != nil {
		return err
	}
	doc.ApplyFields(q)
	return jsonapi.WriteDocument(c, fiber.StatusOK, doc)
}

// getUser answers GET /api/v1/users/:id.
func (s *Server) getUser(c *fiber.Ctx) error {
	p := caller(c)
	q, err := jsonapi.ParseQueryCtx(c, jsonapi.QuerySpec{})
	if err != nil {
		return err
	}
	u, err := s.loadUser(c, s.db)
	if err != nil {
		return err
	}
	ovs, err := s.overridesOf(c.UserContext(), s.db, u.ID)
	if err != nil {
		return err
	}
	doc := jsonapi.Document{Data: jsonapi.One(s.userResource(p, u, ovs[u.ID]))}
	doc.ApplyFields(q)
	return jsonapi.WriteDocument(c, fiber.StatusOK, doc)
}

func (s *Server) loadUser(c *fiber.Ctx, db bun.IDB) (*model.User, error) {
	id, err := pathID(c, "user")
	if err != nil {
		return nil, err
	}
	var u model.User
	if err := db.NewSelect().Model(&u).Where("id = ?", id).Scan(c.UserContext()); err != nil {
		if isNoRows(err) {
			return nil, apperr.E(apperr.NotFound, "No user %d.", id)
		}
		return nil, apperr.Wrap(err, "load user")
	}
	return &u, nil
}

func relID(rel *jsonapi.IncomingRelationship, typ, pointer string) (int64, bool, error) {
	raw, err := rel.ToOne(typ)
	if err != nil {
		return 0, false, err
	}
	if raw == "" {
		return 0, true, nil
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, false, apperr.E(apperr.Invalid, "%q is not a %s id.", raw, typ).AtPointer(pointer)
	}
	return id, false, nil
}

// validEmail reports whether e is a bare email address (domain.ValidEmail).
func validEmail(e string) bool { return domain.ValidEmail(e) }

// treeError turns the rights package's tree and profile invariants into 422s (ORG-1, ORG-3,
// PRF-2, PRF-4) and passes anything else through.
func treeError(err error, pointer string) error {
	for _, known := range []error{rights.ErrSupervisorCycle, rights.ErrSecondHead, rights.ErrNoHead, rights.ErrHasSubordinates,
		rights.ErrUnknownUser, rights.ErrUnitCycle, rights.ErrSecondRootUnit, rights.ErrNoRootUnit, rights.ErrUnknownUnit,
		rights.ErrLastAdministrator, rights.ErrAdministratorProfileCut} {
		if errors.Is(err, known) {
			return &apperr.Error{Code: apperr.Unprocessable, Detail: strings.TrimPrefix(err.Error(), "rights: "), Pointer: pointer, Err: err}
		}
	}
	return err
}

// supervisorEdges returns user → supervisor for every active user (ORG-1).
func supervisorEdges(ctx context.Context, db bun.IDB) (map[int64]int64, error) {
	var rows []model.User
	if err := db.NewSelect().Model(&rows).Column("id", "supervisor_id").Where("active").Scan(ctx); err != nil {
		return nil, apperr.Wrap(err, "load supervisor tree")
	}
	out := make(map[int64]int64, len(rows))
	for _, r := range rows {
		var sup int64
		if r.SupervisorID != nil {
			sup = *r.SupervisorID
		}
		out[r.ID] = sup
	}
	return out, nil
}

// activeAdministrators counts active users holding the Administrator profile, skipping one.
func activeAdministrators(ctx context.Context, db bun.IDB, except int64) (int, error) {
	n, err := db.NewSelect().TableExpr("users AS u").Join("JOIN profiles AS p ON p.id = u.profile_id").
		Where("p.key = ?", rights.ProfileAdministrator).Where("u.active").Where("u.id <> ?", except).Count(ctx)
	if err != nil {
		return 0, apperr.Wrap(err, "count administrators")
	}
	return int(n), nil
}

func profileByID(ctx context.Context, db bun.IDB, id int64) (*model.Profile, error) {
	var p model.Profile
	if err := db.NewSelect().Model(&p).Where("id = ?", id).Scan(ctx); err != nil {
		if isNoRows(err) {
			return nil, apperr.E(apperr.Invalid, "No profile %d.", id).AtPointer("/data/relationships/profile")
		}
		return nil, apperr.Wrap(err, "load profile")
	}
	return &p, nil
}

// nextRights returns the effective rights u would have with profile and overrides (ORG-5).
func nextRights(ctx context.Context, db bun.IDB, profile *model.Profile, overrides map[string]string) (rights.Rights, error) {
	order, err := access.StatusOrder(ctx, db)
	if err != nil {
		return rights.Rights{}, err
	}
	base, err := rights.ParseProfile(access.ProfileValues(profile), order)
	if err != nil {
		return rights.Rights{}, apperr.Wrap(err, "parse profile")
	}
	r, err := rights.Effective(base, overrides, order)
	if err != nil {
		return rights.Rights{}, apperr.E(apperr.Invalid, "%s", strings.TrimPrefix(err.Error(), "rights: ")).AtPointer("/data/attributes/rightOverrides")
	}
	return r, nil
}

func isAdministratorProfile(p *model.Profile) bool {
	return p.Key != nil && *p.Key == rights.ProfileAdministrator
}

// hashNewPassword checks and hashes a password set by an administrator.
func hashNewPassword(pw string) (string, error) {
	if len(pw) < 12 {
		return "", apperr.E(apperr.Invalid, "A password needs at least 12 characters.").AtPointer("/data/attributes/password")
	}
	h, err := auth.HashPassword(pw)
	if err != nil {
		return "", apperr.Wrap(err, "hash password")
	}
	return h, nil
}

// userChangeEntry is the history entry of a user write: rights changes are recorded too
// (PRF-6).
func userChangeEntry(action string, before, after *model.User, ovBefore, ovAfter map[string]string) history.Entry {
	snap := func(u *model.User, ov map[string]string) map[string]any {
		if u == nil {
			return map[string]any{}
		}
		m := map[string]any{"name": u.Name, "email": u.Email, "active": u.Active, "apiAccess": u.APIAccess,
			"unit": u.UnitID, "profile": u.ProfileID, "supervisor": u.SupervisorID}
		for k, v := range ov {
			m["override."+k] = v
		}
		return m
	}
	return history.Entry{Action: action, ResourceType: "users", ResourceID: after.ID, SubjectUserID: after.ID,
		Changes: history.Diff(snap(before, ovBefore), snap(after, ovAfter))}
}

// userKind is the users type of the registry.
func (s *Server) userKind() kind {
	return kind{name: "users", list: s.listUsers, create: s.createUser, get: s.getUser, update: s.updateUser,
		batch: oneByOne(func(ctx context.Context, p *principal, id int64) (*jsonapi.Resource, error) {
			var u model.User
			if err := getOne(ctx, s.db, &u, "users AS u", id); err != nil {
				return nil, err
			}
			ovs, err := s.overridesOf(ctx, s.db, u.ID)
			if err != nil {
				return nil, err
			}
			return s.userResource(p, &u, ovs[u.ID]), nil
		}), explain: s.explainUser}
}

var userActions = map[string]rights.UserAction{
	"edit": rights.UserEdit, "edit-rights": rights.UserEditRights, "set-api-access": rights.UserSetAPIAccess,
	"create-api-key": rights.UserCreateAPIKey,
}

// explainUser decides action on user id for subject (GET /access/explain).
func (s *Server) explainUser(ctx context.Context, subject *rights.Subject, id int64, action string) (rights.Decision, error) {
	a, ok := userActions[action]
	if !ok {
		return rights.Decision{}, domain.UnknownAction(action, "users")
	}
	var u model.User
	if err := s.db.NewSelect().Model(&u).Where("id = ?", id).Scan(ctx); err != nil {
		return rights.Decision{}, domain.Loaded(err, "user", id)
	}
	return rights.DecideUser(subject, a, rights.UserAttrs{ID: u.ID, UnitID: u.UnitID}), nil
}
