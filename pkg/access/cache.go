package access

import (
	"container/list"
	"context"
	"sync"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// DefaultCacheSize is how many subjects a Cache made with size 0 keeps: every user of a
// large firm. A subject's size follows its subordinates and sub-units (8 bytes each): under
// a kilobyte for most users, about 40 KB for the head of 5,000.
const DefaultCacheSize = 10_000

// Cache keeps built subjects in one replica's memory, so that a request whose rights did
// not change pays one single-row read (the rights epoch) instead of LoadSubject's queries,
// two of them recursive.
//
// An entry serves a request only while both of its keys still hold (PRF-6):
//   - the rights epoch it was built under. Every write to what LoadSubject reads moves the
//     epoch in its own transaction (Bump), so the first request after the commit, on any
//     replica, sees a newer epoch and rebuilds.
//   - the fields of the caller's own user row that the subject is built from (profile,
//     unit, API switch), with the active flag and the row version. The request reads that
//     row before the epoch, so a subject can be built from a row older than the epoch it is
//     stored under; the next request's fresher row then no longer matches.
//
// The epoch is read before the subject is built, never after: a change committed while
// building moves the epoch past the stored one. Token versions are not part of the key:
// the caller checks them on the user row it reads fresh for every request.
//
// Subjects are shared between the requests a Cache serves and must not be modified (the
// handlers only read them, and rights.Set is immutable). A Cache is safe for concurrent
// use; a nil *Cache caches nothing.
type Cache struct {
	mu     sync.Mutex
	max    int
	recent *list.List // of *cacheEntry, most recently used first
	byUser map[int64]*list.Element
}

type cacheEntry struct {
	epoch   int64
	row     rowKey
	subject *rights.Subject
}

// rowKey is what a subject depends on in its own user's row.
type rowKey struct {
	id, profileID, unitID, version int64
	apiAccess, active              bool
}

func keyOf(u *model.User) rowKey {
	return rowKey{id: u.ID, profileID: u.ProfileID, unitID: u.UnitID, version: u.Version, apiAccess: u.APIAccess, active: u.Active}
}

// NewCache returns an empty cache of at most size subjects (DefaultCacheSize when size is
// 0 or less); beyond that the least recently used one goes.
func NewCache(size int) *Cache {
	if size <= 0 {
		size = DefaultCacheSize
	}
	return &Cache{max: size, recent: list.New(), byUser: make(map[int64]*list.Element)}
}

// Subject returns u's subject: the cached one when neither the rights epoch nor u's row
// changed since it was built, else a fresh one from LoadSubject, which it then keeps.
// u must have been read for this request.
func (c *Cache) Subject(ctx context.Context, db bun.IDB, u *model.User) (*rights.Subject, error) {
	if c == nil {
		return LoadSubject(ctx, db, u)
	}
	epoch, err := Epoch(ctx, db)
	if err != nil {
		return nil, err
	}
	return c.SubjectAt(ctx, db, u, epoch)
}

// SubjectAt is Subject for a caller who read the rights epoch together with u's row, in one
// statement (UserWithEpoch): one round trip less per request, and the two from one snapshot.
func (c *Cache) SubjectAt(ctx context.Context, db bun.IDB, u *model.User, epoch int64) (*rights.Subject, error) {
	if c == nil {
		return LoadSubject(ctx, db, u)
	}
	row := keyOf(u)
	if s := c.get(epoch, row); s != nil {
		return s, nil
	}
	s, err := LoadSubject(ctx, db, u)
	if err != nil {
		return nil, err
	}
	c.put(&cacheEntry{epoch: epoch, row: row, subject: s})
	return s, nil
}

func (c *Cache) get(epoch int64, row rowKey) *rights.Subject {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byUser[row.id]
	if !ok {
		return nil
	}
	e := el.Value.(*cacheEntry)
	if e.epoch != epoch || e.row != row {
		return nil
	}
	c.recent.MoveToFront(el)
	return e.subject
}

func (c *Cache) put(e *cacheEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byUser[e.row.id]; ok {
		// A concurrent request may have stored a subject built under a newer epoch: keep it.
		if el.Value.(*cacheEntry).epoch > e.epoch {
			return
		}
		el.Value = e
		c.recent.MoveToFront(el)
		return
	}
	c.byUser[e.row.id] = c.recent.PushFront(e)
	for c.recent.Len() > c.max {
		oldest := c.recent.Back()
		c.recent.Remove(oldest)
		delete(c.byUser, oldest.Value.(*cacheEntry).row.id)
	}
}

// Len returns how many subjects the cache holds.
func (c *Cache) Len() int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.recent.Len()
}
