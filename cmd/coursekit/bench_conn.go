package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// benchConn is one client's keep-alive HTTP/1.1 connection for state mode,
// sending a request and reading its response on the calling goroutine.
// The load generator shares the machine with the LRS and its database, and
// net/http's client, with a reader and a writer goroutine per connection
// and the handoffs between them, took a quarter of the CPU of a state round
// trip: the server was measured short of CPU the generator was using. This
// client takes about half of that; responses are still parsed by
// net/http (http.ReadResponse).
type benchConn struct {
	base *url.URL
	auth string // the Authorization header's value
	conn net.Conn
	br   *bufio.Reader
	bw   *bufio.Writer
	req  []byte // the request being written, reused
	// target is the next request's target, reused by the caller.
	target []byte
	stop   func() bool
}

func newBenchConn(base *url.URL, key, secret string) *benchConn {
	return &benchConn{base: base, auth: "Basic " + base64.StdEncoding.EncodeToString([]byte(key+":"+secret))}
}

// dial connects, and cuts the connection short when ctx ends, so that a
// request waiting on a response returns.
func (c *benchConn) dial(ctx context.Context) error {
	host := c.base.Host
	if c.base.Port() == "" {
		host = net.JoinHostPort(c.base.Hostname(), map[string]string{"http": "80", "https": "443"}[c.base.Scheme])
	}
	d := net.Dialer{Timeout: 10 * time.Second}
	var (
		conn net.Conn
		err  error
	)
	if c.base.Scheme == "https" {
		conn, err = (&tls.Dialer{NetDialer: &d, Config: &tls.Config{ServerName: c.base.Hostname()}}).DialContext(ctx, "tcp", host)
	} else {
		conn, err = d.DialContext(ctx, "tcp", host)
	}
	if err != nil {
		return err
	}
	c.conn, c.br, c.bw = conn, bufio.NewReader(conn), bufio.NewWriter(conn)
	c.stop = context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	return nil
}

// Close closes the connection, if open.
func (c *benchConn) Close() {
	if c.conn != nil {
		c.stop()
		c.conn.Close()
		c.conn = nil
	}
}

// do sends a request for target (a path and query under the endpoint's
// host) with body (sent as JSON when not nil) and returns the response's
// status, having read its body. A connection that fails or that the
// server closes is dialled again on the next call.
func (c *benchConn) do(ctx context.Context, method string, target []byte, body []byte) (int, error) {
	if c.conn == nil {
		if err := c.dial(ctx); err != nil {
			return 0, err
		}
	}
	r := append(c.req[:0], method...)
	r = append(r, ' ')
	r = append(r, target...)
	r = append(r, " HTTP/1.1\r\nHost: "...)
	r = append(r, c.base.Host...)
	r = append(r, "\r\nAuthorization: "...)
	r = append(r, c.auth...)
	r = append(r, "\r\nX-Experience-API-Version: 1.0.3\r\n"...)
	if body != nil {
		r = append(r, "Content-Type: application/json\r\nContent-Length: "...)
		r = strconv.AppendInt(r, int64(len(body)), 10)
		r = append(r, "\r\n"...)
	}
	r = append(r, "\r\n"...)
	c.req = r
	status, err := c.roundTrip(method, body)
	if err != nil {
		c.Close()
		return 0, err
	}
	return status, nil
}

func (c *benchConn) roundTrip(method string, body []byte) (int, error) {
	c.bw.Write(c.req)
	c.bw.Write(body)
	if err := c.bw.Flush(); err != nil {
		return 0, err
	}
	resp, err := http.ReadResponse(c.br, &http.Request{Method: method})
	if err != nil {
		return 0, fmt.Errorf("read response: %w", err)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0, fmt.Errorf("read response: %w", err)
	}
	if resp.Close {
		c.Close()
	}
	return resp.StatusCode, nil
}
