// Package httpxtest holds test helpers for the services' HTTP edges that need a real
// connection rather than fiber's in-memory App.Test, which buffers a request whole before
// serving it.
package httpxtest

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Flood sends one request with a chunked body of total bytes to addr over a real
// connection and returns the status the server answered with and how many body bytes
// had been written when the answer arrived. A server that reads no body before refusing
// answers after a few kernel buffers; one that reads the body first answers only after
// all of it.
func Flood(t testing.TB, addr, method, path string, header http.Header, total int64) (status int, sent int64) {
	t.Helper()
	conn := sendHead(t, addr, method, path, header, "Transfer-Encoding: chunked", "")
	defer conn.Close()
	var written atomic.Int64
	go func() {
		chunk := []byte(fmt.Sprintf("%x\r\n%s\r\n", 1<<16, strings.Repeat("a", 1<<16)))
		for written.Load() < total {
			if _, err := conn.Write(chunk); err != nil {
				return // the server closed the connection: expected once it refused
			}
			written.Add(1 << 16)
		}
		_, _ = conn.Write([]byte("0\r\n\r\n"))
	}()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("read response: %v", err)
	}
	sent = written.Load()
	resp.Body.Close()
	return resp.StatusCode, sent
}

// Declare sends the head of a request that announces a body of length bytes, and only the
// first 16 KiB of the body (what a server may read ahead), and returns the status of the
// answer, which a server that judges the length from the head sends without waiting for
// the rest.
func Declare(t testing.TB, addr, method, path string, header http.Header, length int64) int {
	t.Helper()
	conn := sendHead(t, addr, method, path, header, fmt.Sprintf("Content-Length: %d", length), strings.Repeat("a", int(min(length, 16<<10))))
	defer conn.Close()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("read response: %v", err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// sendHead dials addr and writes a request head with one framing header line, then start
// (the first bytes of the body).
func sendHead(t testing.TB, addr, method, path string, header http.Header, framing, start string) net.Conn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	_ = conn.SetDeadline(time.Now().Add(60 * time.Second))
	var head strings.Builder
	fmt.Fprintf(&head, "%s %s HTTP/1.1\r\nHost: %s\r\n%s\r\n", method, path, addr, framing)
	for k, vs := range header {
		for _, v := range vs {
			fmt.Fprintf(&head, "%s: %s\r\n", k, v)
		}
	}
	head.WriteString("\r\n")
	head.WriteString(start)
	if _, err := conn.Write([]byte(head.String())); err != nil {
		conn.Close()
		t.Fatalf("write head: %v", err)
	}
	return conn
}
