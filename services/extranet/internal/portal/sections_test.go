package portal_test

import (
	"fmt"
	"net/http"
	"testing"
)

// rule EXT-3: per case, the shared sections are chosen (Financials, Phases, Other), and a
// contact sees only those: the attributes and lists of the others are absent or 404.
func TestSectionsDecideWhatIsVisible(t *testing.T) {
	for _, s := range []sections{{}, {financials: true}, {phases: true}, {other: true}, {true, true, false}, allSections} {
		t.Run(fmt.Sprintf("financials=%v phases=%v other=%v", s.financials, s.phases, s.other), func(t *testing.T) {
			e := newEnv(t)
			e.invite(e.share(strategy, s), aino, rights{comment: true}, nil)
			e.credential(aino, password, false)
			token := e.login(aino, password)
			base := "/portal/v1/cases/" + id(e.caseID(strategy))
			res := e.do(call{method: "GET", path: base, token: token}).must(t, http.StatusOK).data()
			a, rels := attrs(res), res["relationships"].(map[string]any)
			present := func(m map[string]any, name string) bool { _, ok := m[name]; return ok }
			for name, want := range map[string]bool{"status": s.other, "billingForecast": s.financials, "invoicedTotal": s.financials,
				"currency": s.financials, "name": true, "sections": true, "rights": true} {
				if present(a, name) != want {
					t.Errorf("attribute %s present=%v, want %v", name, present(a, name), want)
				}
			}
			for name, want := range map[string]bool{"workHours": s.other, "files": s.other, "phases": s.phases,
				"invoices": s.financials, "comments": true} {
				if present(rels, name) != want {
					t.Errorf("relationship %s present=%v, want %v", name, present(rels, name), want)
				}
			}
			for sub, shown := range map[string]bool{"work-hours": s.other, "files": s.other, "phases": s.phases, "invoices": s.financials} {
				want := http.StatusNotFound
				if shown {
					want = http.StatusOK
				}
				if r := e.do(call{method: "GET", path: base + "/" + sub, token: token}); r.Status != want {
					t.Errorf("GET %s: status %d, want %d", sub, r.Status, want)
				}
			}
			if s.other {
				hours := e.do(call{method: "GET", path: base + "/work-hours", token: token}).must(t, http.StatusOK).dataList()
				if len(hours) == 0 {
					t.Fatal("no hours listed")
				}
				for _, h := range hours {
					_, priced := attrs(h)["price"]
					_, phased := h["relationships"].(map[string]any)["phase"]
					if priced != s.financials || phased != s.phases {
						t.Fatalf("hour %v: price shown %v, phase shown %v", h["id"], priced, phased)
					}
				}
			}
		})
	}
	t.Run("invoices past draft only, with the invoiced total", func(t *testing.T) {
		e := newEnv(t)
		e.invite(e.share(migration, sections{financials: true}), aino, rights{}, nil)
		e.credential(aino, password, false)
		token := e.login(aino, password)
		base := "/portal/v1/cases/" + id(e.caseID(migration))
		// The demo's second case has one invoice in the second status ("sent").
		inv := e.do(call{method: "GET", path: base + "/invoices", token: token}).must(t, http.StatusOK).dataList()
		if len(inv) != 1 {
			t.Fatalf("%d invoices, want 1", len(inv))
		}
		c := attrs(e.do(call{method: "GET", path: base, token: token}).must(t, http.StatusOK).data())
		if c["invoicedTotal"] != attrs(inv[0])["total"] || c["currency"] != "EUR" {
			t.Fatalf("invoiced %v %v, invoice total %v", c["invoicedTotal"], c["currency"], attrs(inv[0])["total"])
		}
	})
	t.Run("a draft invoice is not shown", func(t *testing.T) {
		e := newEnv(t)
		e.invite(e.share(strategy, sections{financials: true}), aino, rights{}, nil) // the demo's first invoice is a draft
		e.credential(aino, password, false)
		token := e.login(aino, password)
		base := "/portal/v1/cases/" + id(e.caseID(strategy))
		if n := len(e.do(call{method: "GET", path: base + "/invoices", token: token}).must(t, http.StatusOK).dataList()); n != 0 {
			t.Fatalf("%d invoices, want none", n)
		}
		if c := attrs(e.do(call{method: "GET", path: base, token: token}).data()); c["invoicedTotal"] != float64(0) {
			t.Fatalf("invoicedTotal %v, want 0", c["invoicedTotal"])
		}
	})
}

// rule EXT-5: a contact sees only the cases shared with them and moves between them.
func TestCaseList(t *testing.T) {
	e := newEnv(t)
	e.invite(e.share(strategy, allSections), aino, allRights, nil)
	e.invite(e.share(migration, sections{phases: true}), aino, rights{}, nil)
	e.invite(e.share(pricing, allSections), sven, allRights, nil)
	e.credential(aino, password, false)
	token := e.login(aino, password)
	r := e.do(call{method: "GET", path: "/portal/v1/cases", token: token}).must(t, http.StatusOK)
	got := r.ids()
	want := []string{id(e.caseID(migration)), id(e.caseID(strategy))} // by name
	if fmt.Sprint(got) != fmt.Sprint(want) || r.Doc["meta"].(map[string]any)["total"] != float64(2) {
		t.Fatalf("cases %v, want %v", got, want)
	}
	t.Run("paged", func(t *testing.T) {
		r := e.do(call{method: "GET", path: "/portal/v1/cases?page[size]=1&page[number]=2", token: token}).must(t, http.StatusOK)
		if fmt.Sprint(r.ids()) != fmt.Sprint(want[1:]) {
			t.Fatalf("page 2: %v", r.ids())
		}
	})
	t.Run("an unknown parameter is a 400", func(t *testing.T) {
		e.do(call{method: "GET", path: "/portal/v1/cases?sort=name", token: token, lax: true}).must(t, http.StatusBadRequest)
	})
}
