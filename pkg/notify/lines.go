package notify

import (
	"context"
	"strings"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/i18n"
)

// How much of people's words and of lists a digest line shows.
const (
	lineExcerpt   = 140 // characters of a comment or a phase decision's comment
	reasonExcerpt = 100 // characters of each reason of rejected hours
	maxReasons    = 3
	maxNames      = 5 // file or link names on one line
)

// names are the names of the cases and actors items mention, read when the digest is
// written, so that a renamed case reads as it is called now.
type names struct {
	cases    map[int64]string
	contacts map[int64]string
}

func loadNames(ctx context.Context, tx bun.IDB, items []item) (names, error) {
	n := names{cases: map[int64]string{}, contacts: map[int64]string{}}
	var caseIDs, contactIDs []int64
	for _, it := range items {
		caseIDs = append(caseIDs, it.CaseID)
		if it.ActorContactID != nil {
			contactIDs = append(contactIDs, *it.ActorContactID)
		}
	}
	var rows []struct {
		ID   int64  `bun:"id"`
		Name string `bun:"name"`
	}
	if err := tx.NewSelect().Table("cases").Column("id", "name").Where("id IN (?)", bun.In(caseIDs)).Scan(ctx, &rows); err != nil {
		return n, apperr.Wrap(err, "load case names of news")
	}
	for _, r := range rows {
		n.cases[r.ID] = r.Name
	}
	if len(contactIDs) == 0 {
		return n, nil
	}
	rows = nil
	if err := tx.NewSelect().Table("contacts").ColumnExpr("id, first_name || ' ' || last_name AS name").
		Where("id IN (?)", bun.In(contactIDs)).Scan(ctx, &rows); err != nil {
		return n, apperr.Wrap(err, "load contact names of news")
	}
	for _, r := range rows {
		n.contacts[r.ID] = strings.TrimSpace(r.Name)
	}
	return n, nil
}

// group is items that read as one line: the same kind of news on one case by one actor
// (50 approvals are one line), or a single item whose words matter (a comment).
type group struct {
	kind  string
	items []item
}

// summed reports whether items of kind are summed up on one line.
func summed(kind string) bool {
	switch kind {
	case HourApproved, HourRejected, HourPending, FileAdded, LinkAdded:
		return true
	}
	return false
}

// groupItems puts items into lines in the order their first item happened. byActor keeps
// different actors' news apart (an employee's digest names who did what).
func groupItems(items []item, byActor bool) []*group {
	type key struct {
		kind   string
		caseID int64
		actor  int64
	}
	var out []*group
	index := map[key]*group{}
	for _, it := range items {
		if !summed(it.Kind) {
			out = append(out, &group{kind: it.Kind, items: []item{it}})
			continue
		}
		k := key{kind: it.Kind, caseID: it.CaseID}
		if byActor && it.ActorContactID != nil {
			k.actor = *it.ActorContactID
		}
		g := index[k]
		if g == nil {
			g = &group{kind: it.Kind}
			index[k] = g
			out = append(out, g)
		}
		g.items = append(g.items, it)
	}
	return out
}

func (g *group) minutes() int {
	total := 0
	for _, it := range g.items {
		total += it.Minutes
	}
	return total
}

// fileNames lists the names of the group's files, the first maxNames of them.
func (g *group) fileNames(l *i18n.Locale) string {
	var list []string
	for i, it := range g.items {
		if i == maxNames {
			list = append(list, l.T("notify.more", "n", l.Int(int64(len(g.items)-maxNames))))
			break
		}
		list = append(list, it.Name)
	}
	return strings.Join(list, ", ")
}

// reasons lists the different reasons of rejected hours, the first maxReasons of them.
func (g *group) reasons(l *i18n.Locale) string {
	var list []string
	seen := map[string]bool{}
	for _, it := range g.items {
		r := cut(it.Excerpt, reasonExcerpt)
		if r == "" || seen[r] {
			continue
		}
		seen[r] = true
		if len(list) == maxReasons {
			list = append(list, "…")
			break
		}
		list = append(list, r)
	}
	return l.N("notify.reasons", int64(len(seen)), "list", strings.Join(list, " / "))
}

// employeeLine says what a contact did, for the firm: "Aino Virtanen approved 50 work-hour
// entries (75.00 h) on Acme strategy review".
func employeeLine(l *i18n.Locale, g *group, n names) string {
	first := g.items[0]
	who := ""
	if first.ActorContactID != nil {
		who = n.contacts[*first.ActorContactID]
	}
	args := []any{"who", who, "case", n.cases[first.CaseID], "hours", l.Hours(g.minutes()), "names", g.fileNames(l),
		"phase", first.Name, "text", cut(first.Excerpt, lineExcerpt)}
	count := int64(len(g.items))
	switch g.kind {
	case HourApproved:
		return l.N("notify.item.hours_approved", count, args...)
	case HourRejected:
		return l.N("notify.item.hours_rejected", count, append(args, "reasons", g.reasons(l))...)
	case PhaseApproved:
		if first.Excerpt != "" {
			return l.T("notify.item.phase_approved_comment", args...)
		}
		return l.T("notify.item.phase_approved", args...)
	case PhaseRejected:
		return l.T("notify.item.phase_rejected", args...)
	case Commented:
		return l.T("notify.item.comment", args...)
	case FileAdded:
		return l.N("notify.item.files", count, args...)
	case LinkAdded:
		return l.N("notify.item.links", count, args...)
	}
	return l.T("notify.item.other", args...)
}

// contactLine says what waits for a contact: "3 work-hour entries (4.50 h) wait for your
// approval on Acme strategy review".
func contactLine(l *i18n.Locale, g *group, n names) string {
	first := g.items[0]
	args := []any{"case", n.cases[first.CaseID], "hours", l.Hours(g.minutes()), "names", g.fileNames(l)}
	count := int64(len(g.items))
	switch g.kind {
	case HourPending:
		return l.N("notify.contact.hours", count, args...)
	case LinkAdded:
		return l.N("notify.contact.links", count, args...)
	}
	return l.N("notify.contact.files", count, args...)
}
