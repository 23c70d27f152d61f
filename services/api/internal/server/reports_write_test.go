package server

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"testing"

	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/rights"
)

// fakeReport yields batches of one row each and then fails with failWith (nil: ends).
func fakeReport(batches int, failWith error) report {
	n := 0
	return report{name: "fake", columns: jsonapi.AttrColumns("name", "total"), hidden: rights.FieldMask(0), meta: rowCount,
		next: func(context.Context) (reportRows, error) {
			n++
			switch {
			case n <= batches:
				res := &jsonapi.Resource{Type: "fake-rows", ID: string(rune('0' + n)), Attributes: map[string]any{"name": "row", "total": n}}
				return oneRow(res), nil
			case failWith != nil:
				return reportRows{}, failWith
			}
			return reportRows{}, nil
		}}
}

// oneRow is a batch of res alone.
func oneRow(res *jsonapi.Resource) reportRows {
	return reportRows{n: 1, render: func(int) *jsonapi.Resource { return res }}
}

var errDatabaseGone = errors.New("database went away")

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestReportReadErrorMidStream: what the status can no longer say, the body does. A JSON:API
// document stays valid and says meta.incomplete; a CSV body is cut (an error for the pipe, so
// that the transfer breaks off) after the rows it had.
func TestReportReadErrorMidStream(t *testing.T) {
	t.Run("json", func(t *testing.T) {
		r := fakeReport(3, errDatabaseGone)
		first, _ := r.next(context.Background())
		var body bytes.Buffer
		n, err := writeReport(context.Background(), &body, r, first, false, discardLog())
		if err != nil || n != 3 {
			t.Fatalf("rows %d, err %v", n, err)
		}
		var doc struct {
			Data []map[string]any `json:"data"`
			Meta map[string]any   `json:"meta"`
		}
		if err := json.Unmarshal(body.Bytes(), &doc); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, body.String())
		}
		if len(doc.Data) != 3 || doc.Meta["incomplete"] != true || doc.Meta["rows"] != float64(3) {
			t.Fatalf("document %s", body.String())
		}
	})
	t.Run("json complete", func(t *testing.T) {
		r := fakeReport(2, nil)
		first, _ := r.next(context.Background())
		var body bytes.Buffer
		if _, err := writeReport(context.Background(), &body, r, first, false, discardLog()); err != nil {
			t.Fatal(err)
		}
		if want := `{"data":[{"type":"fake-rows","id":"1","attributes":{"name":"row","total":1}},{"type":"fake-rows","id":"2","attributes":{"name":"row","total":2}}],"meta":{"rows":2},"jsonapi":{"version":"1.1"}}`; body.String() != want {
			t.Fatalf("got  %s\nwant %s", body.String(), want)
		}
	})
	t.Run("csv", func(t *testing.T) {
		r := fakeReport(3, errDatabaseGone)
		first, _ := r.next(context.Background())
		var body bytes.Buffer
		n, err := writeReport(context.Background(), &body, r, first, true, discardLog())
		if !errors.Is(err, errIncomplete) || n != 3 {
			t.Fatalf("rows %d, err %v", n, err)
		}
		lines, perr := csv.NewReader(&body).ReadAll()
		if perr != nil || len(lines) != 4 {
			t.Fatalf("the rows read before the failure must go out: %v %q", perr, lines)
		}
	})
	t.Run("csv empty", func(t *testing.T) {
		r := fakeReport(0, nil)
		var body bytes.Buffer
		if _, err := writeReport(context.Background(), &body, r, reportRows{}, true, discardLog()); err != nil {
			t.Fatal(err)
		}
		if body.String() != "id,name,total\n" {
			t.Fatalf("an empty report still has its header: %q", body.String())
		}
	})
}

// goneClient fails every write, as a connection whose client went away.
type goneClient struct{ writes int }

func (g *goneClient) Write([]byte) (int, error) { g.writes++; return 0, io.ErrClosedPipe }

// TestReportStopsWhenClientGoes: a write error ends the stream at once; reading does not go on.
func TestReportStopsWhenClientGoes(t *testing.T) {
	for _, asCSV := range []bool{false, true} {
		reads := 0
		r := report{name: "fake", columns: jsonapi.AttrColumns("name"), meta: rowCount,
			next: func(context.Context) (reportRows, error) {
				reads++
				// Rows big enough to fill the buffers, so that writes reach the client.
				return oneRow(&jsonapi.Resource{Type: "x", ID: "1", Attributes: map[string]any{"name": string(bytes.Repeat([]byte("a"), 64<<10))}}), nil
			}}
		_, err := writeReport(context.Background(), &goneClient{}, r, oneRow(&jsonapi.Resource{Type: "x", ID: "0"}), asCSV, discardLog())
		if !errors.Is(err, io.ErrClosedPipe) {
			t.Fatalf("csv %v: err %v", asCSV, err)
		}
		if reads > 3 {
			t.Fatalf("csv %v: went on reading %d batches for a client that is gone", asCSV, reads)
		}
	}
}
