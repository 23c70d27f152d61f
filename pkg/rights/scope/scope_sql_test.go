package scope_test

import (
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/rights"
	"github.com/caseroom/caseroom/pkg/rights/scope"
)

type modifier func(*rights.Subject, string) func(*bun.SelectQuery) *bun.SelectQuery

var modifiers = map[string]struct {
	table string
	view  modifier
}{
	"CaseView": {"cases", scope.CaseView}, "PhaseView": {"phases", scope.PhaseView},
	"FileView": {"files", scope.FileView}, "HourView": {"work_hours", scope.HourView},
	"InvoiceView": {"invoices", scope.InvoiceView}, "AccountView": {"accounts", scope.AccountView},
	"ContactView": {"contacts", scope.ContactView}, "AddressView": {"addresses", scope.AddressView},
	"UserView": {"users", scope.UserView}, "TravelView": {"travel_reimbursements", scope.TravelView},
	"ActivityView": {"activities", scope.ActivityView},
	"ActivityViewAtLeastFull": {"activities", func(s *rights.Subject, a string) func(*bun.SelectQuery) *bun.SelectQuery {
		return scope.ActivityViewAtLeast(s, a, rights.VisibleFull)
	}},
}

// mustSQL renders the query of view over table for s, after a caller's own condition.
func mustSQL(t *testing.T, d *bun.DB, table string, view modifier, s *rights.Subject) string {
	t.Helper()
	q := d.NewSelect().TableExpr("? AS x", bun.Ident(table)).ColumnExpr("x.id").Where("x.id > 0").Apply(view(s, "x"))
	sql, err := q.AppendQuery(d.QueryGen(), nil)
	if err != nil {
		t.Fatalf("render %s: %v", table, err)
	}
	return string(sql)
}

func mustDB(t *testing.T, url string) *bun.DB {
	t.Helper()
	d, err := db.Open(url)
	if err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// Subjects whose sets are empty must still give valid SQL: no "IN ()", and no "IN (NULL)",
// which is valid but reads like a mistake. Rules ACC-1, ACC-2, CASE-1, TRV-1, USR-1.
func TestModifiersOnEmptySets(t *testing.T) {
	subjects := map[string]*rights.Subject{
		"every right none":    {UserID: 7},
		"member, no one else": {UserID: 7, Rights: rights.Rights{Accounts: rights.AccountsReadOnly, Cases: rights.CasesMember, Users: rights.UsersEditSubordinates, Travel: rights.TravelApproveSubordinates}},
		"own unit, no unit":   {UserID: 7, Rights: rights.Rights{Accounts: rights.AccountsAll, Cases: rights.CasesOwnUnit, Approval: rights.ApprovalOwnUnit, Travel: rights.TravelApproveOwnUnit}, Settings: rights.Settings{ApprovalEnabled: true, TravelEnabled: true}},
		"administrator":       {UserID: 7, Rights: rights.AdministratorRights(), Settings: rights.Settings{ApprovalEnabled: true, TravelEnabled: true}},
	}
	for _, url := range []string{"sqlite://:memory:", "postgres://nobody@127.0.0.1:1/none"} {
		d := mustDB(t, url)
		for sname, s := range subjects {
			for mname, m := range modifiers {
				t.Run(d.Dialect().Name().String()+"/"+sname+"/"+mname, func(t *testing.T) {
					sql := mustSQL(t, d, m.table, m.view, s)
					for _, bad := range []string{"IN ()", "IN (NULL)"} {
						if strings.Contains(sql, bad) {
							t.Errorf("%s in %s", bad, sql)
						}
					}
				})
			}
		}
	}
}

// The shape of each modifier: conditions are one parenthesised group after the caller's own,
// values are bound, and a closed scope is "1 = 0".
func TestModifierSQLShape(t *testing.T) {
	d := mustDB(t, "sqlite://:memory:")
	member := &rights.Subject{UserID: 7, Subordinates: rights.NewSet(8, 9), OwnUnits: rights.NewSet(3), MemberOf: rights.NewSet(41, 42),
		Rights:   rights.Rights{Accounts: rights.AccountsReadOnly, Cases: rights.CasesMember, Approval: rights.ApprovalOwnUnit, ApproveOwnCases: true},
		Settings: rights.Settings{ApprovalEnabled: true}}
	tests := []struct {
		name  string
		table string
		view  modifier
		s     *rights.Subject
		want  string
	}{
		{"ACC-2 closes cases", "cases", scope.CaseView, &rights.Subject{UserID: 7, Rights: rights.Rights{Cases: rights.CasesAll}}, `WHERE (x.id > 0) AND (1 = 0)`},
		{"CASE-11 keeps every case", "cases", scope.CaseView, &rights.Subject{UserID: 7, Rights: rights.Rights{Accounts: rights.AccountsReadOnly, Cases: rights.CasesAll}}, `WHERE (x.id > 0)`},
		{"CASE-2 CASE-9 owners and members", "cases", scope.CaseView, member,
			`WHERE (x.id > 0) AND (("x".owner_id IN (7, 8, 9) OR "x".id IN (41, 42)))`},
		{"CASE-4 phases through their case", "phases", scope.PhaseView, member,
			`EXISTS (SELECT 1 FROM cases AS "x_case" WHERE "x_case".id = "x".case_id AND ("x_case".owner_id IN (7, 8, 9) OR "x_case".id IN (41, 42)))`},
		{"CASE-7 no invoices", "invoices", scope.InvoiceView, &rights.Subject{UserID: 7, Rights: rights.Rights{Accounts: rights.AccountsAll, Cases: rights.CasesManagerNoFinancials}}, `AND (1 = 0)`},
		{"WHA-5 WHA-7 hours", "work_hours", scope.HourView, member,
			`WHERE (x.id > 0) AND (("x".user_id IN (7) OR EXISTS (SELECT 1 FROM users AS "x_user" WHERE "x_user".id = "x".user_id AND "x_user".unit_id IN (3)) OR EXISTS (SELECT 1 FROM cases AS "x_case" WHERE "x_case".id = "x".case_id AND "x_case".owner_id = 7)))`},
		{"TRV-1 travel off", "travel_reimbursements", scope.TravelView, &rights.Subject{UserID: 7, Rights: rights.Rights{Travel: rights.TravelApproveAll}}, `AND (1 = 0)`},
		{"ACC-1 no accounts", "accounts", scope.AccountView, &rights.Subject{UserID: 7}, `AND (1 = 0)`},
		{"ACC-4 every contact", "contacts", scope.ContactView, member, `WHERE (x.id > 0)`},
		{"ACT-1 every activity", "activities", scope.ActivityView, &rights.Subject{UserID: 7}, `WHERE (x.id > 0)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sql := mustSQL(t, d, tt.table, tt.view, tt.s)
			if !strings.Contains(sql, tt.want) {
				t.Errorf("got  %s\nwant it to contain %s", sql, tt.want)
			}
			if strings.HasSuffix(tt.want, "(x.id > 0)") && !strings.HasSuffix(sql, tt.want) {
				t.Errorf("got %s, want no condition after the caller's", sql)
			}
		})
	}
}

// The sortable answers follow the masks (CASE-5..8, section 2).
func TestFieldSortable(t *testing.T) {
	all := &rights.Subject{UserID: 1, Rights: rights.Rights{Accounts: rights.AccountsAll, Cases: rights.CasesAll, Users: rights.UsersAll}}
	employee := &rights.Subject{UserID: 1, Rights: rights.Rights{Accounts: rights.AccountsReadOnly, Cases: rights.CasesMember}}
	boss := &rights.Subject{UserID: 1, Subordinates: rights.NewSet(2), Rights: rights.Rights{Accounts: rights.AccountsReadOnly, Cases: rights.CasesManager, Users: rights.UsersEditSubordinates}}
	blind := &rights.Subject{UserID: 1, Rights: rights.Rights{Accounts: rights.AccountsAll, Cases: rights.CasesMemberNoFinancials}}
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"CASE-11 all sorts cases on revenue", scope.CaseFieldSortable(all, "revenue"), true},
		{"CASE-6 member does not sort cases on revenue", scope.CaseFieldSortable(employee, "revenue"), false},
		{"CASE-6 member sorts cases on name", scope.CaseFieldSortable(employee, "name"), true},
		{"CASE-8 own hours show price to a member", scope.HourFieldSortable(employee, "price"), true},
		{"CASE-8 subordinates' hours may hide price", scope.HourFieldSortable(boss, "price"), false},
		{"CASE-5 member_no_financials never sorts on price", scope.HourFieldSortable(blind, "price"), false},
		{"CASE-5 member_no_financials sorts hours on date", scope.HourFieldSortable(blind, "workDate"), true},
		{"CASE-5 member_no_financials does not sort invoices on total", scope.InvoiceFieldSortable(blind, "total"), false},
		{"INV-1 manager sorts invoices on total", scope.InvoiceFieldSortable(boss, "total"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}
