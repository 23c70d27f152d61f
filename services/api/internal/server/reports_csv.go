package server

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/jsonapi"
)

// The reports also answer CSV (Accept: text/csv), made from the very resources the JSON:API
// document shows, after their decision and mask: a CSV cannot show what the document hides.
// A column that DecideReport hides for the whole report is absent from the header, as it is
// absent from every row of the document; a value hidden on one row only (CASE-6, CASE-8: a
// case where the caller is a plain member) is an empty cell, as is a null.

const csvMediaType = "text/csv"

// reportOffers is the Offers of the API's content negotiation: the reports may be sent as CSV,
// every other route only as JSON:API.
func reportOffers(c *fiber.Ctx) []string {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead:
		if strings.HasPrefix(strings.ToLower(c.Path()), apiBase+"/reports/") {
			return []string{csvMediaType}
		}
	}
	return nil
}

// reportColumn is one CSV column: an attribute of the rows, or the id a to-one relationship
// points at.
type reportColumn struct {
	name string // the header, and the attribute unless rel is set
	rel  string // the relationship whose target id the column shows
}

// attrColumns returns a column per attribute name.
func attrColumns(names ...string) []reportColumn {
	out := make([]reportColumn, len(names))
	for i, n := range names {
		out[i] = reportColumn{name: n}
	}
	return out
}

// relColumn is the column "<rel>Id" with the id rel points at.
func relColumn(rel string) reportColumn { return reportColumn{name: rel + "Id", rel: rel} }

// csvRows writes a report as CSV: fields quoted as RFC 4180 wants, but LF line ends, which
// every CSV reader takes: with CRLF, encoding/csv writes a line break inside a value as CRLF
// and drops a lone CR, and a report must give back the text it was given.
type csvRows struct {
	w       *csv.Writer
	columns []reportColumn
	header  []string
	started bool
	cells   []string
}

func newCSVRows(w io.Writer, r report) *csvRows {
	out := &csvRows{w: csv.NewWriter(w), header: []string{"id"}}
	for _, col := range r.columns {
		if col.rel == "" && r.hidden.Hides(col.name) {
			continue
		}
		out.columns = append(out.columns, col)
		out.header = append(out.header, col.name)
	}
	out.cells = make([]string, len(out.header))
	return out
}

func (o *csvRows) start() error {
	if o.started {
		return nil
	}
	o.started = true
	return o.w.Write(o.header)
}

func (o *csvRows) row(res *jsonapi.Resource) error {
	if err := o.start(); err != nil {
		return err
	}
	o.cells[0] = defuse(res.ID)
	for i, col := range o.columns {
		o.cells[i+1] = csvCell(res, col)
	}
	// csv.Writer buffers in a bufio.Writer of its own and writes through when it is full, so
	// a client that went away shows here as soon as it matters.
	return o.w.Write(o.cells)
}

func (o *csvRows) end(_ jsonapi.Meta, incomplete bool) error {
	if err := o.start(); err != nil {
		return err
	}
	o.w.Flush()
	if err := o.w.Error(); err != nil {
		return err
	}
	if incomplete {
		return errIncomplete
	}
	return nil
}

// csvCell is what res shows in col: "" when the row hides it or it is null.
func csvCell(res *jsonapi.Resource, col reportColumn) string {
	if col.rel != "" {
		rel, ok := res.Relationships[col.rel]
		if !ok {
			return ""
		}
		if ids := rel.Data.Targets(); len(ids) == 1 && !rel.Data.IsMany() {
			return defuse(ids[0].ID)
		}
		return ""
	}
	v, ok := res.Attributes[col.name]
	if !ok {
		return ""
	}
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return defuse(v)
	case bool:
		return strconv.FormatBool(v)
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case time.Time:
		return v.Format(time.RFC3339Nano) // as encoding/json writes it in the document
	}
	// Anything else is written as the document writes it.
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	var s string
	if json.Unmarshal(b, &s) == nil {
		return defuse(s)
	}
	if string(b) == "null" {
		return ""
	}
	return string(b)
}

// defuse keeps a spreadsheet from running a text cell as a formula (CSV injection): a cell
// that starts with =, +, -, @, a tab or a carriage return gets a leading apostrophe, which
// spreadsheets show as text. Only text is defused: numbers are written by the server, and a
// negative one must stay a number.
func defuse(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
