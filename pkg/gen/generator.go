package gen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/casefigures"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// generator is one run: the random source, the calendar, and what has been generated so far
// (kept in memory by index, so that later stages refer to earlier rows without queries).
type generator struct {
	w        writer
	sizes    Sizes
	rng      *rand.Rand
	cal      calendar
	now      time.Time
	hash     string
	progress *progress
	seq      sequences
	// profiles maps the default profiles' keys (rights.ProfileAdministrator, …) to their ids.
	profiles map[string]int64
	// statuses are the invoice statuses in list order (Draft, Sent, Paid by default).
	statuses rights.StatusOrder
	// currency is the organisation's currency, which invoices are in.
	currency string

	units    []unit
	users    []user
	accounts []account
	cases    []kase
	callers  callers
}

func newGenerator(ctx context.Context, w writer, cfg Config, hash string, p *progress) (*generator, error) {
	now := cfg.Now().UTC()
	g := &generator{w: w, sizes: cfg.Sizes, rng: rand.New(rand.NewPCG(uint64(cfg.Seed), 0x5eed_ca5e)),
		cal: newCalendar(now, historyYears), now: now, hash: hash, progress: p, profiles: map[string]int64{}}
	if err := g.seq.load(ctx, w.db); err != nil {
		return nil, err
	}
	var ps []model.Profile
	if err := w.db.NewSelect().Model(&ps).Scan(ctx); err != nil {
		return nil, fmt.Errorf("load profiles: %w", err)
	}
	for _, p := range ps {
		if p.Key != nil {
			g.profiles[*p.Key] = p.ID
		}
	}
	for _, key := range []string{rights.ProfileAdministrator, rights.ProfileBusinessController, rights.ProfileProjectManager, rights.ProfileEmployee} {
		if g.profiles[key] == 0 {
			return nil, fmt.Errorf("default profile %q is missing (run bootstrap.Ensure first)", key)
		}
	}
	order, err := access.StatusOrder(ctx, w.db)
	if err != nil {
		return nil, err
	}
	if len(order) == 0 {
		return nil, fmt.Errorf("no invoice statuses (run bootstrap.Ensure first)")
	}
	g.statuses = order
	settings, err := access.LoadSettings(ctx, w.db)
	if err != nil {
		return nil, err
	}
	g.currency = settings.Currency
	return g, nil
}

// run generates every stage in order; each stage only refers to rows of earlier ones.
func (g *generator) run(ctx context.Context) (*Logins, error) {
	stages := []func(context.Context) error{
		g.genUnits, g.genUsers, g.genAccounts, g.genCases, g.genHours, g.genTravel,
	}
	for _, stage := range stages {
		if err := stage(ctx); err != nil {
			return nil, err
		}
	}
	if err := g.seq.sync(ctx, g.w.db); err != nil {
		return nil, err
	}
	// Hours, invoices and travel were copied in bulk: sum each case's figures once.
	if err := casefigures.RefreshAll(ctx, g.w.db); err != nil {
		return nil, err
	}
	g.progress.done("case figures")
	// Users, units, overrides and members are what request subjects are built from: move the
	// rights epoch so that no replica's cache outlives them (RIGHTS.md PRF-6), last, as
	// access.Bump asks.
	if err := access.Bump(ctx, g.w.db); err != nil {
		return nil, err
	}
	return g.logins(), nil
}

// status returns the id of the invoice status at position pos, or the last one when the
// list is shorter.
func (g *generator) status(pos int) int64 {
	return g.statuses[min(pos, len(g.statuses)-1)]
}

// notAfterNow returns t, or now if t lies after it: an approval a day after yesterday's work
// has not happened yet at dawn today.
func (g *generator) notAfterNow(t time.Time) time.Time {
	if t.After(g.now) {
		return g.now
	}
	return t
}
