package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
)

func TestBenchConn(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, secret, _ := r.BasicAuth()
		body, _ := io.ReadAll(r.Body)
		switch {
		case key != "k" || secret != "s" || r.Header.Get("X-Experience-API-Version") != "1.0.3":
			w.WriteHeader(http.StatusUnauthorized)
		case r.Method == http.MethodPut && (string(body) != `{"a":1}` || r.Header.Get("Content-Type") != "application/json"):
			w.WriteHeader(http.StatusBadRequest)
		case r.URL.Query().Get("close") != "":
			w.Header().Set("Connection", "close")
			w.WriteHeader(http.StatusNoContent)
		case r.URL.Query().Get("chunked") != "":
			w.WriteHeader(http.StatusOK)
			w.Write([]byte("part one, "))
			w.(http.Flusher).Flush() // no Content-Length: the body is chunked
			w.Write([]byte("part two"))
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	base, _ := url.Parse(srv.URL + "/xapi/")
	c := newBenchConn(base, "k", "s")
	defer c.Close()
	ctx := context.Background()
	for _, tc := range []struct {
		method, target string
		body           []byte
		want           int
	}{
		{"PUT", "/xapi/activities/state?x=1", []byte(`{"a":1}`), 204},
		{"PUT", "/xapi/activities/state?x=1", []byte(`{"a":2}`), 400},
		{"GET", "/xapi/activities/state?chunked=1", nil, 200},
		{"GET", "/xapi/activities/state?close=1", nil, 204},
		{"GET", "/xapi/activities/state", nil, 204},
	} {
		if got, err := c.do(ctx, tc.method, []byte(tc.target), tc.body); err != nil || got != tc.want {
			t.Errorf("%s %s = %d, %v; want %d", tc.method, tc.target, got, err, tc.want)
		}
	}
	// Keep-alive until the server closed the connection, then one more.
	if n := conns.Load(); n != 2 {
		t.Errorf("connections = %d, want 2", n)
	}
	c2 := newBenchConn(base, "k", "wrong")
	defer c2.Close()
	if got, err := c2.do(ctx, "GET", []byte("/xapi/activities/state"), nil); err != nil || got != 401 {
		t.Errorf("wrong secret = %d, %v; want 401", got, err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := newBenchConn(base, "k", "s").do(cancelled, "GET", []byte("/xapi/activities/state"), nil); err == nil {
		t.Error("request with a cancelled context succeeded")
	}
}

// TestStateTargets checks the state targets against what url.Values
// makes of the same parameters.
func TestStateTargets(t *testing.T) {
	base, _ := url.Parse("http://127.0.0.1:8080/xapi/")
	targets := newStateTargets(base)
	for _, i := range []int{0, 7, 999, 1000, 12345, 99999, 100000, 250042} {
		q := url.Values{
			"activityId": {fmt.Sprintf("%s/activities/a%03d", benchCourse, i/1000%100)},
			"agent":      {fmt.Sprintf(`{"account":{"homePage":"https://lms.example.org","name":"learner-%04d"}}`, i%1000)},
			"stateId":    {fmt.Sprintf("suspend-%d", i/100000)},
		}
		want := "/xapi/activities/state?" + q.Encode()
		if got := string(targets.target(nil, i)); got != want {
			t.Errorf("target(%d) = %s, want %s", i, got, want)
		}
	}
}
