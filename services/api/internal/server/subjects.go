package server

import (
	"context"
	"runtime"
	"sync"
	"weak"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
)

// subjectCaches holds each Server's subject cache: one per replica, so that a test can run
// two "replicas" on one database. It stands in for a field of Server, which belongs in
// server.go (`subjects *access.Cache`, set to access.NewCache(0) in New); an entry goes when
// its Server is collected.
var subjectCaches sync.Map // weak.Pointer[Server] → *access.Cache

// subjects returns the replica's cache of request subjects (see access.Cache for the key
// and for why a rights change still applies on the very next request, PRF-6).
func (s *Server) subjects() *access.Cache {
	key := weak.Make(s)
	if c, ok := subjectCaches.Load(key); ok {
		return c.(*access.Cache)
	}
	c, loaded := subjectCaches.LoadOrStore(key, access.NewCache(0))
	if !loaded {
		runtime.AddCleanup(s, func(k weak.Pointer[Server]) { subjectCaches.Delete(k) }, key)
	}
	return c.(*access.Cache)
}

// bumpRightsEpoch moves the rights epoch inside tx. Every handler whose transaction writes
// what a subject is built from (users, business units, profiles, overrides, case members,
// settings, invoice statuses) calls it after its writes, so that the change and the new
// epoch commit together and every replica rebuilds its subjects on the next request (PRF-6).
func bumpRightsEpoch(ctx context.Context, tx bun.IDB) error {
	if err := access.Bump(ctx, tx); err != nil {
		return apperr.Wrap(err, "record a rights change")
	}
	return nil
}
