// Package i18n holds the words, dates and money of the portal and its mails in each
// language Caseroom ships.
//
// A language is one catalogue file, locales/<code>.json: flat keys with messages, plus the
// "_format.*" keys that say how the language writes numbers, dates and money. Adding a
// language means adding that file; a test checks that it has every key English has. The
// "_section.*" keys only mark where each part of the product keeps its messages.
// Messages name their arguments: "Approve {hours} h on {date}".
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // contacts choose any IANA zone, whatever the host has installed

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// Default is the language used when nothing else is known.
const Default = "en"

//go:embed locales/*.json
var files embed.FS

// Locale is one language's catalogue with its formats, in one time zone.
type Locale struct {
	Code string // "en", "fi"
	Name string // the language's own name: "English", "Suomi"
	Zone *time.Location
	tag  language.Tag
	msgs map[string]string
}

var (
	catalogues = map[string]*Locale{}
	codes      []string // sorted, Default first
	matcher    language.Matcher
)

func init() {
	names, err := fs.Glob(files, "locales/*.json")
	if err != nil {
		panic(err)
	}
	for _, name := range names {
		raw, err := files.ReadFile(name)
		if err != nil {
			panic(err)
		}
		msgs := map[string]string{}
		if err := json.Unmarshal(raw, &msgs); err != nil {
			panic(fmt.Sprintf("i18n: %s: %v", name, err)) // a broken catalogue is a build bug
		}
		code := strings.TrimSuffix(path.Base(name), ".json")
		catalogues[code] = &Locale{Code: code, Name: msgs["_meta.name"], Zone: time.UTC, tag: language.Make(code), msgs: msgs}
		codes = append(codes, code)
	}
	sort.Slice(codes, func(i, j int) bool { return codes[i] == Default || (codes[j] != Default && codes[i] < codes[j]) })
	tags := make([]language.Tag, len(codes))
	for i, c := range codes {
		tags[i] = language.Make(c)
	}
	matcher = language.NewMatcher(tags)
}

// Codes lists the languages shipped, English first.
func Codes() []string { return append([]string(nil), codes...) }

// Supported reports whether code names a shipped language.
func Supported(code string) bool { _, ok := catalogues[code]; return ok }

// ValidZone reports whether name is a time zone Caseroom can show times in.
func ValidZone(name string) bool {
	_, err := time.LoadLocation(name)
	return name != "" && err == nil
}

// Choose returns the locale for a person: their own preference when it is a shipped
// language, else the best match of the browser's Accept-Language, else fallback (the
// firm's default), else English. zone is an IANA name; an unknown one means UTC.
func Choose(preference, acceptLanguage, fallback, zone string) *Locale {
	code := ""
	switch {
	case Supported(preference):
		code = preference
	case acceptLanguage != "":
		if tags, _, err := language.ParseAcceptLanguage(acceptLanguage); err == nil && len(tags) > 0 {
			_, i, conf := matcher.Match(tags...)
			if conf != language.No {
				code = codes[i]
			}
		}
	}
	if code == "" && Supported(fallback) {
		code = fallback
	}
	if code == "" {
		code = Default
	}
	l := *catalogues[code]
	if z, err := time.LoadLocation(zone); err == nil && zone != "" {
		l.Zone = z
	}
	return &l
}

// T returns the message key with its {name} arguments filled from pairs of name and value.
// A key missing from the language falls back to English, and a key missing there too is
// shown as itself, so that a gap is visible rather than blank.
func (l *Locale) T(key string, args ...any) string {
	msg, ok := l.msgs[key]
	if !ok {
		if msg, ok = catalogues[Default].msgs[key]; !ok {
			return key
		}
	}
	if len(args) == 0 {
		return msg
	}
	pairs := make([]string, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		pairs = append(pairs, "{"+fmt.Sprint(args[i])+"}", fmt.Sprint(args[i+1]))
	}
	return strings.NewReplacer(pairs...).Replace(msg)
}

// N returns the plural form of key for n with {n} set: the form the language's CLDR rules
// choose for n (key.zero, key.one, key.two, key.few, key.many), or key.other when the
// catalogue has no such form. English and Finnish need one and other; a language with more
// forms adds them in its file.
func (l *Locale) N(key string, n int64, args ...any) string {
	abs := n
	if abs < 0 {
		abs = -abs
	}
	if abs > 1<<30 {
		abs = 1 << 30 // the rules look at the last digits; any large number takes "other" or "many" alike
	}
	form := key + "." + pluralNames[plural.Cardinal.MatchPlural(l.tag, int(abs), 0, 0, 0, 0)]
	if !l.Has(form) {
		form = key + ".other"
	}
	return l.T(form, append([]any{"n", l.Int(n)}, args...)...)
}

// pluralNames are the catalogue suffixes of the CLDR plural forms.
var pluralNames = map[plural.Form]string{plural.Other: "other", plural.Zero: "zero", plural.One: "one", plural.Two: "two",
	plural.Few: "few", plural.Many: "many"}

// Has reports whether the catalogue (or English) has key.
func (l *Locale) Has(key string) bool {
	_, ok := l.msgs[key]
	if !ok {
		_, ok = catalogues[Default].msgs[key]
	}
	return ok
}

// Word returns the words for a stored value such as a status ("in_progress"): the message
// group.value, or the value itself when the catalogue has no words for it.
func (l *Locale) Word(group, value string) string {
	if k := group + "." + value; l.Has(k) {
		return l.T(k)
	}
	return value
}

// Int writes a whole number with the language's digit grouping.
func (l *Locale) Int(n int64) string {
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	digits := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(l.msgs["_format.group"])
		}
		b.WriteRune(r)
	}
	return sign + b.String()
}

// Decimal writes minor units (hundredths) as a number with two decimals.
func (l *Locale) Decimal(hundredths int64) string {
	sign := ""
	if hundredths < 0 {
		sign, hundredths = "-", -hundredths
	}
	return fmt.Sprintf("%s%s%s%02d", sign, l.Int(hundredths/100), l.msgs["_format.decimal"], hundredths%100)
}

// Money writes an amount in minor units with its currency the language's way:
// "€1,234.56" in English, "1 234,56 €" in Finnish.
func (l *Locale) Money(minor int64, currency string) string {
	if sign, ok := symbols[currency]; ok {
		return l.T("_format.money", "amount", l.Decimal(minor), "currency", sign)
	}
	return l.T("_format.money_code", "amount", l.Decimal(minor), "currency", currency)
}

// Hours writes minutes as hours with two decimals: "1.50 h" or "1,50 h".
func (l *Locale) Hours(minutes int) string {
	return l.T("_format.hours", "hours", l.Decimal(int64(minutes)*100/60))
}

// Date writes a calendar date ("2026-11-30" as stored, or a time) the language's way.
// A value that is not a date is returned as it is.
func (l *Locale) Date(v any) string {
	var t time.Time
	switch d := v.(type) {
	case time.Time:
		t = d.In(l.Zone)
	case *time.Time:
		if d == nil {
			return ""
		}
		t = d.In(l.Zone)
	case string:
		p, err := time.Parse(time.DateOnly, d)
		if err != nil {
			return d
		}
		t = p
	default:
		return fmt.Sprint(v)
	}
	return l.dateOf(t)
}

// DateTime writes an instant in the locale's zone, with the zone's abbreviation.
func (l *Locale) DateTime(t time.Time) string {
	t = t.In(l.Zone)
	return l.T("_format.datetime", "date", l.dateOf(t), "time", t.Format("15:04"), "zone", t.Format("MST"))
}

func (l *Locale) dateOf(t time.Time) string {
	months := strings.Fields(l.T("_format.months"))
	month := strconv.Itoa(int(t.Month()))
	if len(months) == 12 {
		month = months[t.Month()-1]
	}
	return l.T("_format.date", "d", t.Day(), "m", int(t.Month()), "month", month, "yyyy", t.Year())
}

// symbols are the signs of the currencies people write with one.
var symbols = map[string]string{"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}
