package server

import (
	"context"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/org"
	"github.com/caseroom/caseroom/pkg/rights"
)

// explainAccess answers GET /api/v1/access/explain?user=ID&action=ACTION&resource=TYPE/ID:
// the decision for that user (org.Service.ExplainSubject), with the rule IDs behind it and
// what would be hidden.
func (s *Server) explainAccess(c *fiber.Ctx) error {
	p := caller(c)
	if err := org.MayExplain(p.actor()); err != nil {
		return err
	}
	ask, err := explainQuery(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	userID, _ := strconv.ParseInt(ask.user, 10, 64)
	subject, err := s.org.ExplainSubject(ctx, p.actor(), userID)
	if err != nil {
		return err
	}
	if err := s.askerSees(ctx, p.Subject, ask); err != nil {
		return err
	}
	d, err := s.decideFor(ctx, subject, ask.typ, ask.id, ask.action)
	if err != nil {
		return err
	}
	attrs := explanation(d)
	attrs["user"], attrs["action"], attrs["resource"], attrs["allowed"] = ask.user, ask.action, ask.resource, d.Allow
	res := &jsonapi.Resource{Type: "access-decisions", ID: ask.user + ":" + ask.action + ":" + ask.resource, Attributes: attrs}
	return jsonapi.WriteDocument(c, fiber.StatusOK, jsonapi.Document{Data: jsonapi.One(res)})
}

// askerSees refuses to explain an object the asker may not view themself: explaining is not
// a way around STYLE rule 3 (an object they may not view is missing to them). Every
// employee sees the user directory.
func (s *Server) askerSees(ctx context.Context, asker *rights.Subject, ask explainAsk) error {
	if ask.typ == "users" {
		return nil
	}
	own, err := s.decideFor(ctx, asker, ask.typ, ask.id, "view")
	switch {
	case err == nil && own.Allow:
		return nil
	case err != nil && apperr.CodeOf(err) != apperr.NotFound:
		return err
	}
	return &apperr.Error{Code: apperr.NotFound, Detail: "No such " + ask.typ + ".", Param: "resource"}
}

// explainAsk is what explain is asked: whose access, to do what, to which object.
type explainAsk struct {
	user, action, resource string
	typ                    string // of the resource
	id                     int64
}

// explainQuery reads the parameters of explain: all three are required, and the resource
// looks like cases/12.
func explainQuery(c *fiber.Ctx) (explainAsk, error) {
	q, err := jsonapi.ParseQueryCtx(c, jsonapi.QuerySpec{Custom: []string{"user", "action", "resource"}})
	if err != nil {
		return explainAsk{}, err
	}
	ask := explainAsk{user: q.Custom.Get("user"), action: q.Custom.Get("action"), resource: q.Custom.Get("resource")}
	for name, v := range map[string]string{"user": ask.user, "action": ask.action, "resource": ask.resource} {
		if v == "" {
			return explainAsk{}, &apperr.Error{Code: apperr.Invalid, Detail: name + " is required", Param: name}
		}
	}
	typ, rawID, _ := strings.Cut(ask.resource, "/")
	ask.typ = typ
	ask.id, err = strconv.ParseInt(rawID, 10, 64)
	if err != nil || ask.id <= 0 {
		return explainAsk{}, &apperr.Error{Code: apperr.Invalid, Detail: "resource must look like cases/12", Param: "resource"}
	}
	return ask, nil
}

// explanation renders a decision's reasons: the rules, the message, and what is hidden.
func explanation(d rights.Decision) map[string]any {
	e := rights.Explain(d)
	attrs := map[string]any{"rules": nonNil(e.Rules), "message": e.Message}
	if len(e.Hidden) > 0 {
		attrs["hidden"], attrs["hiddenRules"] = e.Hidden, e.HiddenRules
	}
	return attrs
}

// decideFor decides action on object typ/id for subject through the type's kind. A missing
// object is NotFound at the resource parameter.
func (s *Server) decideFor(ctx context.Context, subj *rights.Subject, typ string, id int64, action string) (rights.Decision, error) {
	k, ok := s.registry[typ]
	if !ok || k.explain == nil {
		return rights.Decision{}, &apperr.Error{Code: apperr.Invalid, Detail: "resource type must be cases, invoices, work-hours, accounts or users", Param: "resource"}
	}
	d, err := k.explain(ctx, subj, id, action)
	if apperr.CodeOf(err) == apperr.NotFound {
		return rights.Decision{}, &apperr.Error{Code: apperr.NotFound, Detail: "No such " + typ + ".", Param: "resource"}
	}
	return d, err
}

// caseViewers answers GET /api/v1/cases/:id/viewers: every active user who may view the case,
// with the rule that lets them and what they see hidden (org.Service.CaseViewers).
func (s *Server) caseViewers(c *fiber.Ctx) error {
	if _, err := jsonapi.ParseQueryCtx(c, jsonapi.QuerySpec{}); err != nil {
		return err
	}
	id, err := pathID(c, "case")
	if err != nil {
		return err
	}
	viewers, err := s.org.CaseViewers(c.UserContext(), actorOf(c), id)
	if err != nil {
		return err
	}
	out := make([]*jsonapi.Resource, 0, len(viewers))
	for _, v := range viewers {
		uid := strconv.FormatInt(v.UserID, 10)
		out = append(out, &jsonapi.Resource{Type: "case-viewers", ID: strconv.FormatInt(id, 10) + ":" + uid, Attributes: explanation(v.Decision),
			Relationships: map[string]jsonapi.Relationship{"user": {Data: jsonapi.ToOne("users", uid)}}})
	}
	return jsonapi.WriteDocument(c, fiber.StatusOK, jsonapi.Document{Data: jsonapi.Many(out)})
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
