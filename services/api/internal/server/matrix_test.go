package server_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/model"
)

// matrixRow is one line of testdata/authz_matrix.txt:
//
//	METHOD | PATH | CALLER | RELATION | STATUS | FIELDS
//
// PATH may hold placeholders ({case:NAME}, {user:NAME}, {new:account} …) resolved against
// the demo organisation. CALLER is a demo user name or "anon". RELATION says how the caller
// stands to the object (owner, member, subordinate, own_unit, other_unit, none, all, self,
// any) and is checked for cases. FIELDS lists attributes that must be present (+name) or
// absent (-revenue) on every returned resource, and n=K for the number of listed resources.
// A CALLER may carry rights overrides for its row: jon[cases=own_unit].
type matrixRow struct {
	line                                   int
	method, path, caller, relation, fields string
	status                                 int
}

func loadMatrix(t *testing.T) []matrixRow {
	t.Helper()
	f, err := os.Open("testdata/authz_matrix.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []matrixRow
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "|")
		if len(cols) != 6 {
			t.Fatalf("matrix line %d: want 6 columns, have %d", n, len(cols))
		}
		for i := range cols {
			cols[i] = strings.TrimSpace(cols[i])
		}
		status, err := strconv.Atoi(cols[4])
		if err != nil {
			t.Fatalf("matrix line %d: status %q", n, cols[4])
		}
		rows = append(rows, matrixRow{line: n, method: cols[0], path: cols[1], caller: cols[2], relation: cols[3], status: status, fields: cols[5]})
	}
	return rows
}

var placeholder = regexp.MustCompile(`\{([a-z-]+):([^}]*)\}`)

// routeKey turns a matrix path into the route it exercises ("GET /api/v1/cases/:id").
func routeKey(method, path string) string {
	p, _, _ := strings.Cut(path, "?")
	return method + " " + placeholder.ReplaceAllString(p, ":id")
}

// resolve replaces the placeholders of a path with ids from the demo organisation, creating
// fresh objects for {new:…} so that destructive rows do not disturb each other.
func (e *env) resolve(path string) string {
	return placeholder.ReplaceAllStringFunc(path, func(m string) string {
		parts := placeholder.FindStringSubmatch(m)
		kind, name := parts[1], parts[2]
		ctx := context.Background()
		var id int64
		var err error
		switch kind {
		case "case":
			err = e.db.NewSelect().Model((*model.Case)(nil)).Column("id").Where("name = ?", name).Scan(ctx, &id)
		case "user":
			err = e.db.NewSelect().Model((*model.User)(nil)).Column("id").Where("email = ?", name+"@northwind.example").Scan(ctx, &id)
		case "profile":
			err = e.db.NewSelect().Model((*model.Profile)(nil)).Column("id").Where("key = ?", name).Scan(ctx, &id)
		case "unit":
			err = e.db.NewSelect().Model((*model.BusinessUnit)(nil)).Column("id").Where("name = ?", name).Scan(ctx, &id)
		case "account":
			err = e.db.NewSelect().Model((*model.Account)(nil)).Column("id").Where("name = ?", name).Scan(ctx, &id)
		case "contact":
			err = e.db.NewSelect().Model((*model.Contact)(nil)).Column("id").Where("email = ?", name).Scan(ctx, &id)
		case "address":
			err = e.db.NewSelect().Model((*model.Address)(nil)).Column("ad.id").ModelTableExpr("addresses AS ad").
				Join("JOIN accounts AS a ON a.id = ad.account_id").Where("a.name = ?", name).Limit(1).Scan(ctx, &id)
		case "hour": // USER/CASE: the user's first entry on the case that is neither approved nor invoiced
			user, caseName, _ := strings.Cut(name, "/")
			err = e.db.NewSelect().TableExpr("work_hours AS h").Column("h.id").Join("JOIN cases AS c ON c.id = h.case_id").
				Join("JOIN users AS u ON u.id = h.user_id").Where("c.name = ? AND u.email = ?", caseName, user+"@northwind.example").
				Where("h.invoice_id IS NULL AND h.approval_status = 'pending'").OrderExpr("h.id").Limit(1).Scan(ctx, &id)
		case "phase": // CASE/NAME
			caseName, phase, _ := strings.Cut(name, "/")
			err = e.db.NewSelect().TableExpr("phases AS ph").Column("ph.id").Join("JOIN cases AS c ON c.id = ph.case_id").
				Where("c.name = ? AND ph.name = ?", caseName, phase).Scan(ctx, &id)
		case "invoice": // the case's first invoice that is not a credit note
			err = e.db.NewSelect().TableExpr("invoices AS i").Column("i.id").Join("JOIN cases AS c ON c.id = i.case_id").
				Where("c.name = ? AND i.credit_of_id IS NULL", name).OrderExpr("i.id").Limit(1).Scan(ctx, &id)
		case "status":
			err = e.db.NewSelect().Model((*model.InvoiceStatus)(nil)).Column("id").Where("name = ?", name).Scan(ctx, &id)
		case "travel": // the user's first travel reimbursement
			err = e.db.NewSelect().TableExpr("travel_reimbursements AS t").Column("t.id").Join("JOIN users AS u ON u.id = t.user_id").
				Where("u.email = ?", name+"@northwind.example").OrderExpr("t.id").Limit(1).Scan(ctx, &id)
		case "activity":
			err = e.db.NewSelect().Model((*model.Activity)(nil)).Column("id").Where("name = ?", name).Scan(ctx, &id)
		case "id": // a literal id, e.g. of something that does not exist
			id, err = strconv.ParseInt(name, 10, 64)
		case "share":
			err = e.db.NewSelect().TableExpr("extranet_shares AS sh").Column("sh.id").Join("JOIN cases AS c ON c.id = sh.case_id").
				Where("c.name = ?", name).Scan(ctx, &id)
		case "apikey": // the user's first API key; one that no secret matches is made when they have none
			uid := mustInt(e.userID(name))
			var ids []int64
			if err = e.db.NewSelect().Model((*model.APIKey)(nil)).Column("id").Where("user_id = ?", uid).OrderExpr("id").Scan(ctx, &ids); err == nil && len(ids) > 0 {
				id = ids[0]
			} else if err == nil {
				k := &model.APIKey{UserID: uid, Name: "matrix", Prefix: "matrix" + name, SecretHash: "-", CreatedAt: e.now}
				_, err = e.db.NewInsert().Model(k).Returning("id").Exec(ctx)
				id = k.ID
			}
		case "new":
			id = e.fixture(name)
		default:
			e.t.Fatalf("unknown placeholder %s", m)
		}
		if err != nil {
			e.t.Fatalf("resolve %s: %v", m, err)
		}
		return strconv.FormatInt(id, 10)
	})
}

// filePart is a matrix body sent as a multipart upload.
type filePart struct {
	name, ctype string
	content     []byte
}

// fixture creates a fresh object that a destructive row may consume.
func (e *env) fixture(kind string) int64 {
	ctx := context.Background()
	now := time.Now().UTC()
	acme := e.resolve("{case:Acme strategy review}")
	caseID, _ := strconv.ParseInt(acme, 10, 64)
	var m any
	switch kind {
	case "file":
		r := e.upload(e.login("ada"), acme, "fixture.txt", "text/plain", []byte("fixture"))
		if r.Status != http.StatusCreated {
			e.t.Fatalf("fixture file: %d %s", r.Status, r.Body)
		}
		id, _ := strconv.ParseInt(r.Doc["data"].(map[string]any)["id"].(string), 10, 64)
		return id
	case "phase":
		ph := &model.Phase{CaseID: caseID, Name: "Fixture phase", Status: "open", ApprovalStatus: "pending", Version: 1, CreatedAt: now, UpdatedAt: now}
		if _, err := e.db.NewInsert().Model(ph).Returning("id").Exec(ctx); err != nil {
			e.t.Fatal(err)
		}
		return ph.ID
	case "comment":
		erik, _ := strconv.ParseInt(e.resolve("{user:erik}"), 10, 64)
		cm := &model.Comment{Version: 1, CaseID: caseID, TargetType: "case", TargetID: caseID, Body: "fixture", AuthorUserID: &erik, CreatedAt: now}
		if _, err := e.db.NewInsert().Model(cm).Returning("id").Exec(ctx); err != nil {
			e.t.Fatal(err)
		}
		return cm.ID
	case "account":
		m = &model.Account{Name: "Fixture " + now.Format(time.RFC3339Nano), Version: 1, CreatedAt: now, UpdatedAt: now}
	case "contact", "address":
		acc := &model.Account{Name: "Fixture parent", Version: 1, CreatedAt: now, UpdatedAt: now}
		if _, err := e.db.NewInsert().Model(acc).Returning("id").Exec(ctx); err != nil {
			e.t.Fatal(err)
		}
		if kind == "contact" {
			m = &model.Contact{AccountID: acc.ID, FirstName: "F", LastName: "X", Email: "f@x.example", Active: true, Version: 1, CreatedAt: now, UpdatedAt: now}
		} else {
			m = &model.Address{AccountID: acc.ID, Kind: "postal", Version: 1, CreatedAt: now, UpdatedAt: now}
		}
	case "case":
		var carl model.User
		if err := e.db.NewSelect().Model(&carl).Where("email = 'carl@northwind.example'").Scan(ctx); err != nil {
			e.t.Fatal(err)
		}
		var acc model.Account
		if err := e.db.NewSelect().Model(&acc).Limit(1).Scan(ctx); err != nil {
			e.t.Fatal(err)
		}
		m = &model.Case{Name: "Fixture case", AccountID: acc.ID, OwnerID: carl.ID, UnitID: carl.UnitID, Status: "open", Version: 1, CreatedAt: now, UpdatedAt: now}
	case "unit":
		var root model.BusinessUnit
		if err := e.db.NewSelect().Model(&root).Where("parent_id IS NULL").Scan(ctx); err != nil {
			e.t.Fatal(err)
		}
		m = &model.BusinessUnit{Name: "Fixture unit", ParentID: &root.ID, Version: 1, CreatedAt: now, UpdatedAt: now}
	case "profile":
		p := &model.Profile{Name: "Fixture " + now.Format(time.RFC3339Nano), Accounts: "none", Cases: "none", JoinCases: "no",
			Users: "none", InvoiceStatus: "any", Approval: "none", Travel: "none", Admin: "none", Version: 1, CreatedAt: now, UpdatedAt: now}
		m = p
	default:
		e.t.Fatalf("no fixture %q", kind)
	}
	if _, err := e.db.NewInsert().Model(m).Returning("id").Exec(ctx); err != nil {
		e.t.Fatal(err)
	}
	if kind == "unit" || kind == "profile" {
		e.rightsChanged()
	}
	return reflectID(m)
}

func reflectID(m any) int64 {
	switch v := m.(type) {
	case *model.Account:
		return v.ID
	case *model.Contact:
		return v.ID
	case *model.Address:
		return v.ID
	case *model.Profile:
		return v.ID
	case *model.Case:
		return v.ID
	case *model.BusinessUnit:
		return v.ID
	}
	panic(fmt.Sprintf("reflectID %T", m))
}

// parseCaller splits "jon[cases=own_unit,accounts=none]" into the demo user and the rights
// that row overrides (ORG-5); rights are read per request, so the row's token sees them.
func parseCaller(caller string) (string, map[string]string) {
	name, rest, ok := strings.Cut(caller, "[")
	if !ok {
		return caller, nil
	}
	out := map[string]string{}
	for _, kv := range strings.Split(strings.TrimSuffix(rest, "]"), ",") {
		k, v, _ := strings.Cut(kv, "=")
		out[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return name, out
}

func (e *env) clearOverrides(user string) {
	if _, err := e.db.NewDelete().Model((*model.RightOverride)(nil)).Where("user_id = ?", mustInt(e.userID(user))).Exec(context.Background()); err != nil {
		e.t.Fatal(err)
	}
	e.rightsChanged()
}

// checkRelation fails when a row claims a relation to a case that does not hold, so that
// the matrix cannot silently drift from the demo data.
func (e *env) checkRelation(row matrixRow, resolvedPath string) {
	m := regexp.MustCompile(`\{case:([^}]*)\}`).FindStringSubmatch(row.path)
	if m == nil || row.caller == "anon" {
		return
	}
	ctx := context.Background()
	var cs model.Case
	if err := e.db.NewSelect().Model(&cs).Where("name = ?", m[1]).Scan(ctx); err != nil {
		e.t.Fatal(err)
	}
	var u model.User
	name, _ := parseCaller(row.caller)
	if err := e.db.NewSelect().Model(&u).Where("email = ?", name+"@northwind.example").Scan(ctx); err != nil {
		e.t.Fatal(err)
	}
	member, _ := e.db.NewSelect().Model((*model.CaseMember)(nil)).Where("case_id = ? AND user_id = ?", cs.ID, u.ID).Exists(ctx)
	var subs []int64
	e.db.NewRaw(`WITH RECURSIVE s(id) AS (SELECT id FROM users WHERE supervisor_id = ? UNION SELECT x.id FROM users x JOIN s ON x.supervisor_id = s.id) SELECT id FROM s`, u.ID).Scan(ctx, &subs) //nolint:errcheck
	sub := false
	for _, id := range subs {
		sub = sub || id == cs.OwnerID
	}
	var units []int64
	e.db.NewRaw(`WITH RECURSIVE s(id) AS (SELECT id FROM business_units WHERE id = ? UNION SELECT b.id FROM business_units b JOIN s ON b.parent_id = s.id) SELECT id FROM s`, u.UnitID).Scan(ctx, &units) //nolint:errcheck
	ownUnit := false
	for _, id := range units {
		ownUnit = ownUnit || id == cs.UnitID
	}
	holds := map[string]bool{
		"owner": cs.OwnerID == u.ID, "member": member && cs.OwnerID != u.ID, "subordinate": sub,
		"own_unit": ownUnit && cs.OwnerID != u.ID && !member, "other_unit": !ownUnit && cs.OwnerID != u.ID && !member && !sub,
		"none": cs.OwnerID != u.ID && !member && !sub, "all": true, "any": true,
	}
	ok, known := holds[row.relation]
	if !known || !ok {
		e.t.Errorf("matrix line %d: %s is not %q to case %q", row.line, name, row.relation, m[1])
	}
}

// TestAuthorizationMatrix runs every row of the matrix against the real server.
func TestAuthorizationMatrix(t *testing.T) {
	rows := loadMatrix(t)
	e := newEnv(t)
	tokens := map[string]string{}
	for _, row := range rows {
		t.Run(fmt.Sprintf("line %d %s %s as %s", row.line, row.method, row.path, row.caller), func(t *testing.T) {
			e.t = t
			path := e.resolve(row.path)
			e.checkRelation(row, path)
			name, overrides := parseCaller(row.caller)
			tok := ""
			if name != "anon" {
				if tokens[name] == "" {
					tokens[name] = e.login(name)
				}
				tok = tokens[name]
				for right, value := range overrides {
					e.override(name, right, value)
				}
				defer e.clearOverrides(name)
			}
			var body any
			if mk := matrixBodies[routeKey(row.method, row.path)]; mk != nil {
				body = mk(e, path, row.arg())
			}
			var r response
			if fp, ok := body.(filePart); ok {
				r = e.upload(tok, strings.Split(path, "/")[4], fp.name, fp.ctype, fp.content)
			} else {
				r = e.do(call{method: row.method, path: path, token: tok, body: body})
			}
			if r.Status != row.status {
				t.Fatalf("status %d, want %d: %s", r.Status, row.status, r.Body)
			}
			e.checkFields(row, r)
		})
	}
}

// arg returns the row's body argument (a FIELDS token arg:VALUE, "_" for spaces), e.g. whom to add.
func (row matrixRow) arg() string {
	for _, f := range strings.Fields(row.fields) {
		if v, ok := strings.CutPrefix(f, "arg:"); ok {
			return strings.ReplaceAll(v, "_", " ")
		}
	}
	return ""
}

func (e *env) checkFields(row matrixRow, r response) {
	if row.fields == "" || row.fields == "-" {
		return
	}
	var list []map[string]any
	switch d := r.Doc["data"].(type) {
	case []any:
		list = r.dataList()
	case map[string]any:
		list = []map[string]any{d}
	}
	for _, f := range strings.Fields(row.fields) {
		switch {
		case strings.HasPrefix(f, "arg:"):
		case strings.HasPrefix(f, "n="):
			if want, _ := strconv.Atoi(f[2:]); len(list) != want {
				e.t.Errorf("%d resources, want %d", len(list), want)
			}
		case strings.HasPrefix(f, "+"), strings.HasPrefix(f, "-"):
			for _, res := range list {
				_, present := attrs(res)[f[1:]]
				if present != (f[0] == '+') {
					e.t.Errorf("resource %v: attribute %s present=%v", res["id"], f[1:], present)
				}
			}
		default:
			e.t.Fatalf("matrix line %d: bad field token %q", row.line, f)
		}
	}
}

// TestEveryRouteHasMatrixRows: deny by default. A route nobody wrote an authorization row
// for fails here, so a new endpoint cannot ship unchecked. A row covers a route when its path
// (placeholders as ids) matches the route's pattern, so generic routes need rows too.
func TestEveryRouteHasMatrixRows(t *testing.T) {
	rows := loadMatrix(t)
	public := map[string]bool{"GET /healthz": true, "GET /readyz": true, "GET /openapi.yaml": true, "GET /docs": true,
		"GET /docs/:file": true, "POST /api/v1/sessions": true}
	e := newEnv(t)
	for _, r := range e.app.GetRoutes(true) {
		key := r.Method + " " + r.Path
		if r.Method == http.MethodHead || public[key] {
			continue
		}
		pattern := regexp.MustCompile("^" + regexp.MustCompile(`:[a-z]+`).ReplaceAllString(r.Path, `[^/]+`) + "$")
		covered := false
		for _, row := range rows {
			path, _, _ := strings.Cut(placeholder.ReplaceAllString(row.path, "1"), "?")
			covered = covered || (row.method == r.Method && pattern.MatchString(path))
		}
		if !covered {
			t.Errorf("route %s has no row in testdata/authz_matrix.txt", key)
		}
	}
}

// matrixBodies builds a valid request body for write routes; path is the resolved path.
var matrixBodies = map[string]func(e *env, path, arg string) any{
	"POST /api/v1/accounts": func(*env, string, string) any {
		return map[string]any{"data": map[string]any{"type": "accounts", "attributes": map[string]any{"name": "Matrix Oy"}}}
	},
	"PATCH /api/v1/accounts/:id": func(e *env, path string, _ string) any {
		return e.patchBody("accounts", path, map[string]any{"website": "https://x.example"})
	},
	"POST /api/v1/contacts": func(e *env, _ string, _ string) any {
		return map[string]any{"data": map[string]any{"type": "contacts",
			"attributes":    map[string]any{"firstName": "M", "lastName": "X", "email": "m.x@acme.example"},
			"relationships": map[string]any{"account": rel("accounts", e.resolve("{account:Acme Oy}"))}}}
	},
	"PATCH /api/v1/contacts/:id": func(e *env, path string, _ string) any {
		return e.patchBody("contacts", path, map[string]any{"title": "CFO"})
	},
	"POST /api/v1/addresses": func(e *env, _ string, _ string) any {
		return map[string]any{"data": map[string]any{"type": "addresses", "attributes": map[string]any{"city": "Oulu"},
			"relationships": map[string]any{"account": rel("accounts", e.resolve("{account:Acme Oy}"))}}}
	},
	"PATCH /api/v1/addresses/:id": func(e *env, path string, _ string) any {
		return e.patchBody("addresses", path, map[string]any{"city": "Tampere"})
	},
	"POST /api/v1/users": func(e *env, _ string, _ string) any {
		return map[string]any{"data": map[string]any{"type": "users",
			"attributes": map[string]any{"name": "New Hire", "email": "new" + strconv.FormatInt(time.Now().UnixNano(), 36) + "@northwind.example", "password": "a-long-password-1"},
			"relationships": map[string]any{"unit": rel("business-units", e.resolve("{unit:Strategy}")),
				"supervisor": rel("users", e.resolve("{user:carl}")), "profile": rel("profiles", e.resolve("{profile:employee}"))}}}
	},
	"PATCH /api/v1/users/:id": func(e *env, path string, _ string) any {
		return e.patchBody("users", path, map[string]any{"name": "Renamed"})
	},
	"POST /api/v1/profiles": func(*env, string, string) any {
		return map[string]any{"data": map[string]any{"type": "profiles", "attributes": map[string]any{
			"name": "Matrix " + strconv.FormatInt(time.Now().UnixNano(), 36), "rights": map[string]string{
				"accounts": "none", "delete_accounts": "false", "cases": "none", "delete_cases": "false", "own_resource_allocations": "false",
				"join_cases": "no", "users": "none", "invoice_status": "any", "scheduled_invoicing": "false", "approval": "none",
				"approve_own_cases": "false", "travel": "none", "sharing": "false", "admin": "none"}}}}
	},
	"PATCH /api/v1/profiles/:id": func(e *env, path string, _ string) any {
		return e.patchBody("profiles", path, map[string]any{"name": "Renamed profile"})
	},
	"POST /api/v1/business-units": func(e *env, _ string, _ string) any {
		return map[string]any{"data": map[string]any{"type": "business-units", "attributes": map[string]any{"name": "New unit"},
			"relationships": map[string]any{"parent": rel("business-units", e.resolve("{unit:Consulting}"))}}}
	},
	"POST /api/v1/cases": func(e *env, _, _ string) any {
		return map[string]any{"data": map[string]any{"type": "cases", "attributes": map[string]any{"name": "Matrix case", "billingForecast": 1000},
			"relationships": map[string]any{"account": rel("accounts", e.resolve("{account:Globex AB}"))}}}
	},
	"PATCH /api/v1/cases/:id": func(e *env, path, _ string) any {
		return e.patchBody("cases", path, map[string]any{"status": "in_progress"})
	},
	"POST /api/v1/cases/:id/relationships/members": func(e *env, _, arg string) any {
		return map[string]any{"data": []any{map[string]any{"type": "users", "id": e.resolve("{user:" + arg + "}")}}}
	},
	"DELETE /api/v1/cases/:id/relationships/members": func(e *env, _, arg string) any {
		return map[string]any{"data": []any{map[string]any{"type": "users", "id": e.resolve("{user:" + arg + "}")}}}
	},
	"POST /api/v1/extranet-shares": func(e *env, _, _ string) any {
		return shareDoc(e.resolve("{case:Acme strategy review}"), shareContact(e.resolve("{contact:aino.virtanen@acme.example}")))
	},
	"PATCH /api/v1/extranet-shares/:id": func(e *env, path, _ string) any {
		return e.patchBody("extranet-shares", path, map[string]any{"showFinancials": true})
	},
	"POST /api/v1/work-hours": func(e *env, _, arg string) any {
		return map[string]any{"data": map[string]any{"type": "work-hours", "attributes": map[string]any{"workDate": "2026-11-20", "minutes": 90, "description": "Workshop"},
			"relationships": map[string]any{"case": rel("cases", e.resolve("{case:"+arg+"}"))}}}
	},
	"PATCH /api/v1/work-hours/:id": func(e *env, path, _ string) any {
		return e.patchBody("work-hours", path, map[string]any{"minutes": 120})
	},
	"POST /api/v1/work-hours/:id/approve": func(*env, string, string) any { return nil },
	"POST /api/v1/work-hours/:id/reject": func(*env, string, string) any {
		return map[string]any{"data": map[string]any{"type": "approval-decisions", "attributes": map[string]any{"comment": "Wrong phase"}}}
	},
	"POST /api/v1/phases": func(e *env, _, arg string) any {
		return map[string]any{"data": map[string]any{"type": "phases", "attributes": map[string]any{"name": "Follow-up"},
			"relationships": map[string]any{"case": rel("cases", e.resolve("{case:"+arg+"}"))}}}
	},
	"PATCH /api/v1/phases/:id": func(e *env, path, _ string) any {
		return e.patchBody("phases", path, map[string]any{"status": "in_progress"})
	},
	"POST /api/v1/comments": func(e *env, _, arg string) any {
		return map[string]any{"data": map[string]any{"type": "comments", "attributes": map[string]any{"body": "Looks good"},
			"relationships": map[string]any{"case": rel("cases", e.resolve("{case:"+arg+"}"))}}}
	},
	"POST /api/v1/files": func(e *env, _, arg string) any {
		return map[string]any{"data": map[string]any{"type": "files", "attributes": map[string]any{"name": "Spec", "url": "https://example.org/spec"},
			"relationships": map[string]any{"case": rel("cases", e.resolve("{case:"+arg+"}"))}}}
	},
	"POST /api/v1/cases/:id/files": func(*env, string, string) any {
		return filePart{name: "notes.txt", ctype: "text/plain", content: []byte("meeting notes")}
	},
	"POST /api/v1/invoices": func(e *env, _, arg string) any {
		return map[string]any{"data": map[string]any{"type": "invoices", "attributes": map[string]any{"dueDate": "2026-12-31"},
			"relationships": map[string]any{"case": rel("cases", e.resolve("{case:"+arg+"}"))}}}
	},
	"PATCH /api/v1/invoices/:id": func(e *env, path, arg string) any {
		doc := e.patchBody("invoices", path, map[string]any{}).(map[string]any)
		doc["data"].(map[string]any)["relationships"] = map[string]any{"status": rel("invoice-statuses", e.resolve("{status:"+arg+"}"))}
		return doc
	},
	"POST /api/v1/invoices/:id/credit":    func(*env, string, string) any { return nil },
	"POST /api/v1/invoices/:id/reminders": func(*env, string, string) any { return nil },
	"POST /api/v1/travel-reimbursements": func(e *env, _, arg string) any {
		return map[string]any{"data": map[string]any{"type": "travel-reimbursements",
			"attributes":    map[string]any{"travelDate": "2026-11-20", "amount": 4200, "description": "Taxi"},
			"relationships": map[string]any{"case": rel("cases", e.resolve("{case:"+arg+"}"))}}}
	},
	"PATCH /api/v1/travel-reimbursements/:id": func(e *env, path, _ string) any {
		return e.patchBody("travel-reimbursements", path, map[string]any{"amount": 9900})
	},
	"POST /api/v1/travel-reimbursements/:id/approve": func(*env, string, string) any { return nil },
	"POST /api/v1/travel-reimbursements/:id/reject":  func(*env, string, string) any { return nil },
	"POST /api/v1/activities": func(e *env, _, arg string) any {
		doc := map[string]any{"type": "activities", "attributes": map[string]any{"category": "todo", "name": "Prepare workshop",
			"startsAt": "2026-11-25T09:00:00Z", "endsAt": "2026-11-25T10:00:00Z"}}
		if arg != "" {
			doc["relationships"] = map[string]any{"owner": rel("users", e.resolve("{user:"+arg+"}"))}
		}
		return map[string]any{"data": doc}
	},
	// arg "category=work" changes the category, "participants=lea+carl" sends that list (ACT-3, ACT-5).
	"PATCH /api/v1/activities/:id": func(e *env, path, arg string) any {
		field, value, _ := strings.Cut(arg, "=")
		switch field {
		case "category":
			return e.patchBody("activities", path, map[string]any{"category": value})
		case "participants":
			ids := []any{}
			for _, user := range strings.FieldsFunc(value, func(r rune) bool { return r == '+' }) {
				ids = append(ids, map[string]any{"type": "users", "id": e.resolve("{user:" + user + "}")})
			}
			doc := e.patchBody("activities", path, map[string]any{}).(map[string]any)
			doc["data"].(map[string]any)["relationships"] = map[string]any{"participants": map[string]any{"data": ids}}
			return doc
		}
		return e.patchBody("activities", path, map[string]any{"description": "Moved"})
	},
	"DELETE /api/v1/activities/:id/relationships/participants": func(e *env, _, arg string) any {
		return map[string]any{"data": []any{map[string]any{"type": "users", "id": e.resolve("{user:" + arg + "}")}}}
	},
	"POST /api/v1/api-keys": func(*env, string, string) any {
		return map[string]any{"data": map[string]any{"type": "api-keys", "attributes": map[string]any{"name": "script"}}}
	},
	"PATCH /api/v1/settings": func(e *env, _, _ string) any {
		return patchDoc("settings", "1", map[string]any{"version": e.version("settings", "1"), "organizationName": "Northwind"}, nil)
	},
	"POST /api/v1/invoice-statuses": func(*env, string, string) any {
		return map[string]any{"data": map[string]any{"type": "invoice-statuses", "attributes": map[string]any{"name": "Overdue " + strconv.FormatInt(time.Now().UnixNano(), 36)}}}
	},
	"PATCH /api/v1/invoice-statuses/:id": func(e *env, path, _ string) any {
		return e.patchBody("invoice-statuses", path, map[string]any{"active": true})
	},
	"PATCH /api/v1/comments/:id": func(e *env, path, _ string) any {
		return e.patchBody("comments", path, map[string]any{"body": "Edited"})
	},
	"PATCH /api/v1/files/:id": func(e *env, path, _ string) any {
		return e.patchBody("files", path, map[string]any{"name": "Renamed.txt"})
	},
	"PATCH /api/v1/business-units/:id": func(e *env, path string, _ string) any {
		return e.patchBody("business-units", path, map[string]any{"name": "Renamed unit"})
	},
}

// patchBody is a PATCH document for the resource at path with its current version.
func (e *env) patchBody(typ, path string, attrs map[string]any) any {
	tables := map[string]string{"work-hours": "work_hours", "travel-reimbursements": "travel_reimbursements"}
	u, _ := url.Parse(path)
	segs := strings.Split(strings.TrimSuffix(u.Path, "/"), "/")
	id := segs[len(segs)-1]
	table := strings.ReplaceAll(typ, "-", "_")
	if t, ok := tables[typ]; ok {
		table = t
	}
	attrs["version"] = e.version(table, id)
	return patchDoc(typ, id, attrs, nil)
}
