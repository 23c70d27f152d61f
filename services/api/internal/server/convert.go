package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/httpx"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/webapi"
)

// actor is the caller as the feature services know them.
func (p *principal) actor() domain.Actor { return domain.Employee(p.User, p.Subject) }

// actorOf returns the request's caller as a feature service's actor.
func actorOf(c *fiber.Ctx) domain.Actor { return caller(c).actor() }

// expect reads the version the caller edited (If-Match or the version attribute). What is
// wrong with it is reported by the service only once the object is found (domain.Expect).
func expect(c *fiber.Ctx, attr *int64) domain.Expect {
	v, err := httpx.EditedVersion(c, attr)
	if err != nil {
		return domain.Expect{Err: err}
	}
	return domain.Version(v)
}

// tagVersion names the version of a written resource in ETag, for the next If-Match.
func tagVersion(c *fiber.Ctx, version int64) {
	c.Set(fiber.HeaderETag, strconv.Quote(strconv.FormatInt(version, 10)))
}

// relRef converts a sent to-one relationship to a service's nullable reference (unset when
// not sent).
func relRef(rel *jsonapi.IncomingRelationship, typ, pointer string) (jsonapi.Nullable[int64], error) {
	if rel == nil {
		return jsonapi.Nullable[int64]{}, nil
	}
	id, null, err := relID(rel, typ, pointer)
	if err != nil {
		return jsonapi.Nullable[int64]{}, err
	}
	return jsonapi.Nullable[int64]{Set: true, Null: null, Value: id}, nil
}

// relRequired converts a sent to-one relationship that may not be null (nil when not sent).
func relRequired(rel *jsonapi.IncomingRelationship, typ, pointer string) (*int64, error) {
	ref, err := relRef(rel, typ, pointer)
	if err != nil || !ref.Set {
		return nil, err
	}
	if ref.Null {
		return nil, apperr.E(apperr.Invalid, "%s may not be null", typ).AtPointer(pointer)
	}
	return &ref.Value, nil
}

// pathID parses the :id parameter; a malformed id is simply a missing object (webapi.PathID).
func pathID(c *fiber.Ctx, what string) (int64, error) { return webapi.PathID(c, what) }

// relID reads a sent to-one relationship: its id, or null.
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
