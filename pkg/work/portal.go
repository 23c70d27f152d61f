package work

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"slices"
	"sort"
	"strconv"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/sharing"
)

// The portal's views of work hours waiting for a contact's decision, and their totals. An
// entry waits when it is pending and not invoiced: an invoiced entry's decision is frozen
// (ErrInvoicedHour), so it would only be refused.

// waitingHours restricts a query over work_hours AS h to the entries that wait.
func waitingHours(q *bun.SelectQuery) *bun.SelectQuery {
	return q.Where("h.approval_status = ?", domain.Pending).Where("h.invoice_id IS NULL")
}

// WaitingCounts returns, for each case shared with contact a on which they may approve work
// hours (EXT-2, EXT-3), how many entries wait for their decision; cases with none are left
// out. The shares are one query and the counts of every case another.
func (s *Service) WaitingCounts(ctx context.Context, a domain.Actor) (map[int64]int, error) {
	if !a.IsContact() {
		return map[int64]int{}, nil
	}
	return sharing.CountPerCase(ctx, s.env.DB, s.env.Now(), *a.Contact, sharing.ApproveHours, "waiting work hours",
		func(ids []int64) *bun.SelectQuery {
			return s.env.DB.NewSelect().TableExpr("work_hours AS h").ColumnExpr("h.case_id, COUNT(*) AS n").
				Where("h.case_id IN (?)", bun.In(ids)).Apply(waitingHours).GroupExpr("h.case_id")
		})
}

// sharedHours returns contact a's grant on caseID once they may take action on its hours
// (ViewHours, ApproveHours): NotFound when the case or its hours are not shared (EXT-3,
// EXT-8), Forbidden without the right (EXT-2). An employee has no share: to them the case
// is missing.
func (s *Service) sharedHours(ctx context.Context, a domain.Actor, caseID int64, action sharing.Action) (sharing.Grant, error) {
	if !a.IsContact() {
		return sharing.Grant{}, domain.NotFound("case", caseID)
	}
	g, err := sharing.Of(ctx, s.env.DB, s.env.Now(), *a.Contact, caseID)
	if err != nil {
		return g, err
	}
	return g, g.Check(action, "No work hours are shared on this case.")
}

// WaitingHours lists the entries of a shared case that wait for contact a's decision, in
// date order, and their number. Errors: apperr.NotFound (case or hours not shared),
// apperr.Forbidden (no Approve right).
func (s *Service) WaitingHours(ctx context.Context, a domain.Actor, caseID int64, w domain.Window) ([]Hour, int64, error) {
	g, err := s.sharedHours(ctx, a, caseID, sharing.ApproveHours)
	if err != nil {
		return nil, 0, err
	}
	var rows []Hour
	n, err := s.selectHours(s.env.DB, &rows).Where("h.case_id = ?", caseID).Apply(waitingHours).
		OrderExpr("h.work_date, h.id").Limit(w.Limit).Offset(w.Offset).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, apperr.Wrap(err, "list waiting work hours")
	}
	for i := range rows {
		rows[i].Grant = g
	}
	return rows, int64(n), nil
}

// HourVersion is an entry as a decision expects it to be.
type HourVersion struct {
	ID      int64 `bun:"id"`
	Version int64 `bun:"version"`
}

// WaitingVersions returns every entry of a shared case that waits for contact a's decision,
// with its version as it is now: what "approve all" decides, each through DecideHour, once
// their SnapshotOf is the one the contact's page showed. Errors as WaitingHours.
func (s *Service) WaitingVersions(ctx context.Context, a domain.Actor, caseID int64) ([]HourVersion, error) {
	if _, err := s.sharedHours(ctx, a, caseID, sharing.ApproveHours); err != nil {
		return nil, err
	}
	var out []HourVersion
	err := s.env.DB.NewSelect().TableExpr("work_hours AS h").ColumnExpr("h.id, h.version").Where("h.case_id = ?", caseID).
		Apply(waitingHours).OrderExpr("h.work_date, h.id").Scan(ctx, &out)
	if err != nil {
		return nil, apperr.Wrap(err, "list waiting work hours")
	}
	return out, nil
}

// Snapshot names a set of entries at their versions: how many there are and a digest of
// their id:version pairs, in id order. A page carries the snapshot of what it showed as
// waiting, so that "approve all" decides only the entries the contact saw (EXT-2): an
// entry added, changed or decided after the page was rendered gives another snapshot.
type Snapshot string

// SnapshotOf returns the snapshot of vs, whatever their order.
func SnapshotOf(vs []HourVersion) Snapshot {
	sorted := slices.Clone(vs)
	slices.SortFunc(sorted, func(a, b HourVersion) int { return cmp.Compare(a.ID, b.ID) })
	h := sha256.New()
	for _, v := range sorted {
		fmt.Fprintf(h, "%d:%d\n", v.ID, v.Version)
	}
	return Snapshot(strconv.Itoa(len(vs)) + "-" + base64.RawURLEncoding.EncodeToString(h.Sum(nil)))
}

// WaitingSnapshot returns the snapshot of every entry of a shared case that waits for
// contact a's decision now (WaitingVersions), for a page to carry. Errors as WaitingHours.
func (s *Service) WaitingSnapshot(ctx context.Context, a domain.Actor, caseID int64) (Snapshot, error) {
	vs, err := s.WaitingVersions(ctx, a, caseID)
	if err != nil {
		return "", err
	}
	return SnapshotOf(vs), nil
}

// HourTotal sums the entries of one phase or one person.
type HourTotal struct {
	Key             int64  `bun:"key"` // the phase's or the user's id; 0 for entries on no phase
	Name            string `bun:"name"`
	Entries         int    `bun:"entries"`
	Minutes         int    `bun:"minutes"`
	ApprovedMinutes int    `bun:"approved_minutes"`
	Price           int64  `bun:"price"` // minor units; 0 unless Prices
}

// HourTotals are the totals of a shared case's work hours.
type HourTotals struct {
	// ByPhase is empty unless Phases: the phases' names and how the hours fall into them
	// are the Phases section (EXT-3).
	ByPhase  []HourTotal
	ByPerson []HourTotal
	All      HourTotal
	// Prices says whether the share shows hour prices; without it every Price is 0.
	Prices bool
	// Phases says whether the share shows phases, and so the totals per phase.
	Phases bool
}

// CaseHourTotals sums the work hours of a case shared with contact a per phase and per
// person, in the database (two grouped queries, whatever the number of entries). The
// hours are the Other section (EXT-3): without it the answer is apperr.NotFound (EXT-8);
// prices are summed only where the share shows them, and the hours are grouped per phase
// only where it shows phases (EXT-3, EXT-8): a share of the Other section alone learns
// neither the phases' names nor how many there are.
func (s *Service) CaseHourTotals(ctx context.Context, a domain.Actor, caseID int64) (HourTotals, error) {
	var out HourTotals
	g, err := s.sharedHours(ctx, a, caseID, sharing.ViewHours)
	if err != nil {
		return out, err
	}
	out.Prices, out.Phases = g.Can(sharing.ViewHourPrices), g.Can(sharing.ViewPhases)
	sums := func(q *bun.SelectQuery) *bun.SelectQuery {
		q = q.ColumnExpr("COUNT(*) AS entries, SUM(h.minutes) AS minutes").
			ColumnExpr("SUM(CASE WHEN h.approval_status = ? THEN h.minutes ELSE 0 END) AS approved_minutes", domain.Approved)
		if out.Prices {
			q = q.ColumnExpr("SUM(h.unit_price * h.minutes / 60) AS price")
		}
		return q.Where("h.case_id = ?", caseID)
	}
	if out.Phases {
		err = s.env.DB.NewSelect().TableExpr("work_hours AS h").ColumnExpr("COALESCE(h.phase_id, 0) AS key, COALESCE(ph.name, '') AS name").
			Join("LEFT JOIN phases AS ph ON ph.id = h.phase_id").Apply(sums).GroupExpr("h.phase_id, ph.name").Scan(ctx, &out.ByPhase)
		if err != nil {
			return out, apperr.Wrap(err, "sum work hours per phase")
		}
	}
	err = s.env.DB.NewSelect().TableExpr("work_hours AS h").ColumnExpr("h.user_id AS key, u.name AS name").
		Join("JOIN users AS u ON u.id = h.user_id").Apply(sums).GroupExpr("h.user_id, u.name").Scan(ctx, &out.ByPerson)
	if err != nil {
		return out, apperr.Wrap(err, "sum work hours per person")
	}
	// Phases in the order they were made, entries on no phase last; people by name.
	sort.Slice(out.ByPhase, func(i, j int) bool {
		a, b := out.ByPhase[i].Key, out.ByPhase[j].Key
		return a != 0 && (b == 0 || a < b)
	})
	sort.Slice(out.ByPerson, func(i, j int) bool { return out.ByPerson[i].Name < out.ByPerson[j].Name })
	for _, t := range out.ByPerson {
		out.All.Entries += t.Entries
		out.All.Minutes += t.Minutes
		out.All.ApprovedMinutes += t.ApprovedMinutes
		out.All.Price += t.Price
	}
	return out, nil
}
