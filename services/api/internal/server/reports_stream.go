package server

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/httpx"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/reports"
	"github.com/caseroom/caseroom/pkg/rights"
)

// A report streams. pkg/reports reads its rows a batch at a time, each decided and masked as
// the resource endpoints decide and mask it; here each batch is written out as it comes, as a
// JSON:API document or as CSV, before the next is read: the process holds one batch at a
// time, whatever the size of the report.

// reportTimeout bounds a report's stream from its first read to its last byte.
const reportTimeout = 2 * time.Minute

// reportRows is one batch of a report as read from the database, decided and masked. A row is
// rendered only when it is written: a rendered row weighs several times its database row, so
// the process holds a batch of database rows and one rendered row at a time.
type reportRows struct {
	n      int
	render func(i int) *jsonapi.Resource // nil for a row not to write
}

// reportSource reads a report's next batch; none (n == 0) once the report is done.
type reportSource func(ctx context.Context) (reportRows, error)

// report is what streaming needs to know of one report.
type report struct {
	name    string           // "cases": for logs, and the CSV file is cases-report.csv
	columns []jsonapi.Column // the CSV columns after the id, in order
	hidden  rights.FieldMask // what DecideReport hides on every row: absent from the CSV header
	meta    func(rows int) jsonapi.Meta
	next    reportSource
}

// rowCount is the meta of the reports that count their rows.
func rowCount(rows int) jsonapi.Meta { return jsonapi.Meta{"rows": rows} }

// streamReport answers c with r, as CSV when the Accept header prefers it.
//
// Everything that can fail with a status is done before the first byte: the service has
// decided the report and checked its parameters, and the first batch is read here, so that a
// report that cannot run at all still answers 4xx or 5xx with an error document. What fails
// after the first byte cannot change the status any more, so a read error mid-stream
// (rare: the database went away, or a batch ran out of time) is logged with the request ID
// and then
//   - ends the JSON:API document normally, with meta.incomplete true: the document stays valid
//     JSON and a client that reads meta sees it was cut short; no errors member, since a
//     document may not carry both data and errors;
//   - breaks off a CSV body without its final chunk, since CSV has no place to say so: HTTP
//     clients then report a truncated transfer instead of a short file that looks whole.
func (s *Server) streamReport(c *fiber.Ctx, r report) error {
	asCSV := jsonapi.Preferred(c, csvMediaType) == csvMediaType
	// The stream outlives the handler, and fiber recycles c once the handler returns: the
	// stream keeps the request's values but not its cancellation, has a deadline of its own,
	// and touches nothing of c.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.UserContext()), reportTimeout)
	first, err := r.next(ctx)
	if err != nil {
		cancel()
		return err
	}
	if asCSV {
		c.Set(fiber.HeaderContentType, csvMediaType+"; charset=utf-8")
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+r.name+`-report.csv"`)
	} else {
		c.Set(fiber.HeaderContentType, jsonapi.MediaType)
	}
	c.Status(fiber.StatusOK)
	log := s.log.With("request_id", httpx.RequestID(c), "report", r.name)
	// A pipe rather than fasthttp's SetBodyStreamWriter: closing it with an error is what lets a
	// CSV body break off (fasthttp then leaves out the final chunk). When the client goes away,
	// fasthttp closes the reading end and the next write here fails, which ends the goroutine.
	pr, pw := io.Pipe()
	go func(first reportRows) { // an argument, not a capture: the first batch is dropped once written
		defer cancel()
		defer func() {
			if p := recover(); p != nil {
				log.Error("report stream panicked", "panic", p)
				pw.CloseWithError(fmt.Errorf("report %s: panic: %v", r.name, p))
			}
		}()
		start := time.Now()
		rows, err := writeReport(ctx, pw, r, first, asCSV, log)
		log.Info("report streamed", "rows", rows, "csv", asCSV, "duration_ms", time.Since(start).Milliseconds(), "cut", err != nil)
		pw.CloseWithError(err) // nil: the body ends normally
	}(first)
	c.Response().SetBodyStream(pr, -1)
	return nil
}

// errIncomplete breaks off a CSV body whose rows could not all be read.
var errIncomplete = jsonapi.ErrIncomplete

// writeReport writes r to w, starting with the batch first, and returns how many rows it
// wrote. A non-nil error means the body must be cut short: the client went away, or a CSV
// report could not read all its rows. A JSON:API report whose reading fails still returns
// nil, its document closed with meta.incomplete (see streamReport).
func writeReport(ctx context.Context, w io.Writer, r report, first reportRows, asCSV bool, log *slog.Logger) (int, error) {
	bw := bufio.NewWriterSize(w, 32<<10)
	var out rowWriter = listRows{jsonapi.NewListWriter(bw)}
	if asCSV {
		out = csvRows{jsonapi.NewCSVWriter(bw, r.columns, r.hidden.Hides)}
	}
	n := 0
	batch, readErr := first, error(nil)
	for batch.n > 0 {
		for i := range batch.n {
			res := batch.render(i)
			if res == nil {
				continue
			}
			if err := out.row(res); err != nil {
				return n, err // the client is gone: nothing more to do
			}
			n++
		}
		batch, readErr = r.next(ctx)
	}
	if readErr != nil {
		log.Error("report stopped mid-stream", "rows", n, "err", readErr)
	}
	if err := out.end(r.meta(n), readErr != nil); err != nil {
		bw.Flush() //nolint:errcheck // the rows written so far go out before the body breaks off
		return n, err
	}
	return n, bw.Flush()
}

// rowWriter is one output format of the reports.
type rowWriter interface {
	row(res *jsonapi.Resource) error
	// end finishes the output with meta; incomplete says that reading stopped on an error.
	end(meta jsonapi.Meta, incomplete bool) error
}

// csvRows writes a report as CSV.
type csvRows struct{ w *jsonapi.CSVWriter }

func (o csvRows) row(res *jsonapi.Resource) error           { return o.w.Row(res) }
func (o csvRows) end(_ jsonapi.Meta, incomplete bool) error { return o.w.End(incomplete) }

// listRows writes a report as a JSON:API document.
type listRows struct{ w *jsonapi.ListWriter }

func (l listRows) row(res *jsonapi.Resource) error { return l.w.Add(res) }

func (l listRows) end(meta jsonapi.Meta, incomplete bool) error {
	if incomplete {
		meta["incomplete"] = true
	}
	return l.w.Close(meta)
}

// batchesOf returns the reportSource of b: its batches, each row rendered only when written.
func batchesOf[T any](b *reports.Batches[T], render func(*T) *jsonapi.Resource) reportSource {
	return func(ctx context.Context) (reportRows, error) {
		rows, err := b.Next(ctx)
		if err != nil {
			return reportRows{}, err
		}
		return reportRows{n: len(rows), render: func(i int) *jsonapi.Resource { return render(&rows[i]) }}, nil
	}
}
