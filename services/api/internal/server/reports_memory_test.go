package server_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"
)

// liveHeap collects garbage and returns the heap the collection marked live
// (runtime/metrics /gc/heap/live:bytes).
func liveHeap() uint64 {
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	runtime.GC()
	metrics.Read(live)
	return live[0].Value.Uint64()
}

// smallBuffers makes the sockets of a listener small, so that a server writing to a client
// that does not read blocks after a few kilobytes rather than filling megabytes of kernel
// buffers.
type smallBuffers struct{ net.Listener }

func (l smallBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetWriteBuffer(256 << 10) //nolint:errcheck // a bigger buffer only weakens the check
	}
	return c, err
}

// slowReader is an HTTP client with a small receive buffer, that reads a body in pieces.
var slowReader = &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
	c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetReadBuffer(256 << 10) //nolint:errcheck // as above
	}
	return c, err
}}}

// heldWhileReading reads body a piece at a time and, every few pieces, while the server waits
// for the client to read on, measures what the process holds above base. Collections run only
// while the client does not read, so what they find live is what the stream holds between two
// writes, not what it is busy allocating; the lower of two collections counts, in case the
// server had not yet blocked at the first. It returns the body's size and the most held.
func heldWhileReading(body io.Reader, base uint64) (n int64, most uint64, err error) {
	piece := make([]byte, 64<<10)
	for i := 0; ; i++ {
		k, err := io.ReadFull(body, piece)
		n += int64(k)
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return n, most, nil
		}
		if err != nil {
			return n, most, err
		}
		if i%4 == 0 {
			if held := min(liveHeap(), liveHeap()); held > base {
				most = max(most, held-base)
			}
		}
	}
}

// TestCaseReportStreamsInBoundedMemory: what the cases report holds does not grow with the
// report. The report runs over about a thousand cases, then over eight times as many, to a
// client that reads slowly through small sockets (fiber's app.Test would keep the whole
// response in memory), and the process's live heap is measured while the server waits for
// it: from the smaller report to the larger one, that must not grow by more than a quarter of
// what the body grew. Holding every row, as the report did, costs well over the body itself.
// caseroom-bench measures the process on 100k cases.
func TestCaseReportStreamsInBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("generates thousands of cases")
	}
	e := newEnv(t)
	tok := e.login("ada")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go e.app.Listener(smallBuffers{ln}) //nolint:errcheck // ends with Shutdown
	defer e.app.Shutdown()              //nolint:errcheck
	get := func(measure bool) (body int64, held uint64) {
		req, _ := http.NewRequest("GET", "http://"+ln.Addr().String()+"/api/v1/reports/cases", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Accept", mediaType)
		base := liveHeap()
		resp, err := slowReader.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK || strings.Join(resp.TransferEncoding, ",") != "chunked" {
			t.Fatalf("status %d, transfer encoding %v: not a streamed report", resp.StatusCode, resp.TransferEncoding)
		}
		if !measure {
			body, err = io.Copy(io.Discard, resp.Body)
		} else {
			body, held, err = heldWhileReading(resp.Body, base)
		}
		if err != nil {
			t.Fatalf("after %d bytes: %v", body, err)
		}
		return body, held
	}
	type run struct{ body, held int64 }
	var runs []run
	added := 0
	for _, cases := range []int{1000, 8000} {
		e.mustCloneCases("Acme platform migration", cases-added, func(i int) string { return fmt.Sprintf("Bulk case %05d", added+i) })
		added = cases
		get(false) // warm up: connections, statement caches, buffers
		body, held := get(true)
		runs = append(runs, run{body: body, held: int64(held)})
		t.Logf("cases report over %d more cases: body %d KiB, live heap held while streaming %d KiB at most", cases, body>>10, held>>10)
	}
	small, large := runs[0], runs[1]
	if large.held-small.held > (large.body-small.body)/4 {
		t.Fatalf("the body grew %d KiB and what the process holds %d KiB: the rows are held, not streamed",
			(large.body-small.body)>>10, (large.held-small.held)>>10)
	}
}
