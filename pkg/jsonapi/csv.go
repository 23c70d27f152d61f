package jsonapi

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"time"
)

// A collection may also be written as CSV, made from the very resources a document shows,
// after their decision and mask: a CSV cannot show what the document hides. A value hidden on
// one row only is an empty cell, as is a null.

// ErrIncomplete breaks off a CSV body whose rows could not all be read.
var ErrIncomplete = errors.New("rows incomplete")

// Column is one CSV column: an attribute of the rows, or the id a to-one relationship
// points at.
type Column struct {
	Name string // the header, and the attribute unless Rel is set
	Rel  string // the relationship whose target id the column shows
}

// AttrColumns returns a column per attribute name.
func AttrColumns(names ...string) []Column {
	out := make([]Column, len(names))
	for i, n := range names {
		out[i] = Column{Name: n}
	}
	return out
}

// RelColumn is the column "<rel>Id" with the id rel points at.
func RelColumn(rel string) Column { return Column{Name: rel + "Id", Rel: rel} }

// CSVWriter writes resources as CSV: fields quoted as RFC 4180 wants, but LF line ends, which
// every CSV reader takes: with CRLF, encoding/csv writes a line break inside a value as CRLF
// and drops a lone CR, and a report must give back the text it was given.
type CSVWriter struct {
	w       *csv.Writer
	columns []Column
	header  []string
	started bool
	cells   []string
}

// NewCSVWriter returns a CSVWriter of columns to w, leaving out the attribute columns that
// hidden names: what every row hides is absent from the header too.
func NewCSVWriter(w io.Writer, columns []Column, hidden func(name string) bool) *CSVWriter {
	out := &CSVWriter{w: csv.NewWriter(w), header: []string{"id"}}
	for _, col := range columns {
		if col.Rel == "" && hidden(col.Name) {
			continue
		}
		out.columns = append(out.columns, col)
		out.header = append(out.header, col.Name)
	}
	out.cells = make([]string, len(out.header))
	return out
}

func (o *CSVWriter) start() error {
	if o.started {
		return nil
	}
	o.started = true
	return o.w.Write(o.header)
}

// Row writes one resource: its id, then each column (empty where it hides the value or it is null).
func (o *CSVWriter) Row(res *Resource) error {
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

// End writes the header if no row did, and flushes; incomplete (the rows could not all be
// read) ends with ErrIncomplete, so that the body breaks off rather than looking whole.
func (o *CSVWriter) End(incomplete bool) error {
	if err := o.start(); err != nil {
		return err
	}
	o.w.Flush()
	if err := o.w.Error(); err != nil {
		return err
	}
	if incomplete {
		return ErrIncomplete
	}
	return nil
}

// csvCell is what res shows in col: "" when the row hides it or it is null.
func csvCell(res *Resource, col Column) string {
	if col.Rel != "" {
		rel, ok := res.Relationships[col.Rel]
		if !ok {
			return ""
		}
		if ids := rel.Data.Targets(); len(ids) == 1 && !rel.Data.IsMany() {
			return defuse(ids[0].ID)
		}
		return ""
	}
	v, ok := res.Attributes[col.Name]
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
