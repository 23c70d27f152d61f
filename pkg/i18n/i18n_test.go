package i18n

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"
)

// Every shipped language has exactly the keys English has, so that a page never mixes
// languages and a third language is a file to add, checked by this test.
func TestCataloguesHaveTheSameKeys(t *testing.T) {
	en := keys(t, "en")
	for _, code := range Codes() {
		got := keys(t, code)
		for k := range en {
			if !got[k] {
				t.Errorf("%s.json lacks %q", code, k)
			}
		}
		for k := range got {
			if !en[k] {
				t.Errorf("%s.json has %q, which en.json lacks", code, k)
			}
		}
		if catalogues[code].Name == "" {
			t.Errorf("%s.json lacks _meta.name", code)
		}
	}
	if len(Codes()) < 2 || Codes()[0] != "en" {
		t.Fatalf("Codes() = %v, want English first and Finnish", Codes())
	}
}

func keys(t *testing.T, code string) map[string]bool {
	t.Helper()
	raw, err := files.ReadFile("locales/" + code + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for k := range m {
		out[k] = true
	}
	return out
}

func TestChoose(t *testing.T) {
	cases := []struct{ pref, accept, fallback, want string }{
		{"", "fi-FI,fi;q=0.9,en;q=0.8", "en", "fi"},
		{"", "de-DE,de;q=0.9", "fi", "fi"}, // no match: the firm's default
		{"", "de-DE", "", "en"},
		{"en", "fi", "fi", "en"}, // the contact's choice wins over the browser
		{"xx", "fi", "en", "fi"}, // an unknown choice is ignored
		{"", "en-GB,en;q=0.9", "fi", "en"},
		{"", "garbage;;q=", "fi", "fi"},
	}
	for _, c := range cases {
		if got := Choose(c.pref, c.accept, c.fallback, "").Code; got != c.want {
			t.Errorf("Choose(%q, %q, %q) = %s, want %s", c.pref, c.accept, c.fallback, got, c.want)
		}
	}
}

func TestFormats(t *testing.T) {
	en := Choose("en", "", "", "Europe/Helsinki")
	fi := Choose("fi", "", "", "Europe/Helsinki")
	at := time.Date(2026, 11, 30, 13, 5, 0, 0, time.UTC)
	checks := []struct{ got, want string }{
		{en.Money(12345678, "EUR"), "€123,456.78"},
		{fi.Money(12345678, "EUR"), "123\u00a0456,78 €"},
		{en.Money(-150, "SEK"), "-1.50 SEK"},
		{en.Hours(90), "1.50 h"},
		{fi.Hours(90), "1,50 h"},
		{en.Date("2026-11-30"), "30 Nov 2026"},
		{fi.Date("2026-11-30"), "30.11.2026"},
		{en.Date("not a date"), "not a date"},
		{en.DateTime(at), "30 Nov 2026, 15:05 EET"},
		{fi.DateTime(at), "30.11.2026 klo 15:05 EET"},
		{en.Word("status", "in_progress"), "In progress"},
		{fi.Word("status", "on_hold"), "Odottaa"},
		{en.Word("status", "custom"), "custom"},
		{en.T("no.such.key"), "no.such.key"},
		{en.Int(1234567), "1,234,567"},
	}
	for i, c := range checks {
		if c.got != c.want {
			t.Errorf("check %d: got %q, want %q", i, c.got, c.want)
		}
	}
}

func TestValidZone(t *testing.T) {
	for zone, want := range map[string]bool{"Europe/Helsinki": true, "UTC": true, "": false, "Mars/Base": false} {
		if ValidZone(zone) != want {
			t.Errorf("ValidZone(%q) = %v", zone, !want)
		}
	}
	var s []string
	s = append(s, Codes()...)
	if !sort.StringsAreSorted(s[1:]) {
		t.Errorf("Codes() after English are not sorted: %v", s)
	}
}

// Plural forms follow the language's CLDR rules, so that a language with more forms than
// one and other is a file to add: Polish, say, writes "few" for 2 to 4.
func TestPluralForms(t *testing.T) {
	en, fi := Choose("en", "", "", ""), Choose("fi", "", "", "")
	pl := &Locale{Code: "pl", Zone: time.UTC, tag: language.Make("pl"), msgs: map[string]string{
		"_format.group": " ", "x.one": "{n} godzina", "x.few": "{n} godziny", "x.many": "{n} godzin", "x.other": "{n} godziny"}}
	checks := []struct{ got, want string }{
		{en.N("waiting.hours", 1), en.T("waiting.hours.one", "n", "1")},
		{en.N("waiting.hours", 2), en.T("waiting.hours.other", "n", "2")},
		{fi.N("waiting.hours", 1), fi.T("waiting.hours.one", "n", "1")},
		{fi.N("waiting.hours", 0), fi.T("waiting.hours.other", "n", "0")},
		{pl.N("x", 1), "1 godzina"},
		{pl.N("x", 3), "3 godziny"},
		{pl.N("x", 5), "5 godzin"},
		{pl.N("x", 22), "22 godziny"},
	}
	for i, c := range checks {
		if c.got != c.want || strings.Contains(c.got, "waiting.hours") {
			t.Errorf("check %d: got %q, want %q", i, c.got, c.want)
		}
	}
}
