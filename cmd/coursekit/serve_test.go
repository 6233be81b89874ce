package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coursekit/coursekit/lrs/storetest"
)

// buildBinary builds coursekit once per test run.
var buildBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "coursekit-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "coursekit")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// server is a running coursekit serve process.
type server struct {
	cmd   *exec.Cmd
	url   string // http://host:port
	admin string // key:secret printed on first start, if any
	done  chan error
}

var (
	urlLine  = regexp.MustCompile(`url=(http://\S+)/xapi/`)
	credLine = regexp.MustCompile(`^([A-Za-z0-9_-]+:[A-Za-z0-9_-]+)$`)
)

// startServer runs coursekit serve on a free loopback port and waits until
// it listens.
func startServer(t *testing.T, db string, flags ...string) *server {
	t.Helper()
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, append([]string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, flags...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, done: make(chan error, 1)}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			if m := credLine.FindStringSubmatch(line); m != nil {
				s.admin = m[1]
			}
			if m := urlLine.FindStringSubmatch(line); m != nil && s.url == "" {
				s.url = m[1]
				close(ready)
			}
		}
		s.done <- cmd.Wait()
	}()
	select {
	case <-ready:
	case err := <-s.done:
		t.Fatalf("coursekit serve exited before listening: %v", err)
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("coursekit serve did not start listening")
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-s.done
	})
	return s
}

func (s *server) do(t *testing.T, method, path, cred, body string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, s.url+path, strings.NewReader(body))
	req.Header.Set("X-Experience-API-Version", "1.0.3")
	req.Header.Set("Content-Type", "application/json")
	if k, sec, ok := strings.Cut(cred, ":"); ok {
		req.SetBasicAuth(k, sec)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, data
}

func TestServeProcess(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "lrs.db")
	srv := startServer(t, db)
	if srv.admin == "" {
		t.Fatal("first start printed no admin credential")
	}
	for _, path := range []string{"/healthz", "/readyz", "/metrics", "/xapi/about"} {
		if code, body := srv.do(t, "GET", path, "", ""); code != 200 {
			t.Errorf("GET %s = %d %s", path, code, body)
		}
	}
	code, body := srv.do(t, "POST", "/xapi/statements", srv.admin, `{"actor":{"mbox":"mailto:a@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/experienced"},"object":{"id":"https://example.org/a"}}`)
	if code != 200 {
		t.Fatalf("POST = %d %s", code, body)
	}
	// Graceful shutdown on SIGTERM, then a restart keeps the data and does
	// not print a new admin credential.
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := <-srv.done; err != nil {
		t.Errorf("serve after SIGTERM exited with %v, want 0", err)
	}
	srv.done <- nil // for the cleanup
	again := startServer(t, db)
	if again.admin != "" {
		t.Error("a restart printed another admin credential")
	}
	var ids []string
	_ = json.Unmarshal(body, &ids)
	if code, _ := again.do(t, "GET", "/xapi/statements?statementId="+ids[0], srv.admin, ""); code != 200 {
		t.Errorf("after restart GET = %d, want 200", code)
	}
}

// TestServeSurvivesKill sends statements without pause and kills the server
// (SIGKILL) mid-stream: after a restart every acknowledged statement is
// there, on both databases.
func TestServeSurvivesKill(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { survivesKill(t, "sqlite:"+filepath.Join(t.TempDir(), "lrs.db")) })
	t.Run("postgres", func(t *testing.T) { survivesKill(t, storetest.PostgresDSN(t)) })
}

func survivesKill(t *testing.T, db string) {
	srv := startServer(t, db)
	cred := srv.admin
	ctx, cancel := context.WithCancel(context.Background())
	acked := make(chan []string, 1000)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := 0; ctx.Err() == nil; i++ {
				var batch bytes.Buffer
				batch.WriteString("[")
				for j := range 10 {
					if j > 0 {
						batch.WriteString(",")
					}
					fmt.Fprintf(&batch, `{"actor":{"mbox":"mailto:w%d@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/experienced"},"object":{"id":"https://example.org/a/%d/%d"}}`, w, i, j)
				}
				batch.WriteString("]")
				code, body := srv.do(t, "POST", "/xapi/statements", cred, batch.String())
				if code != 200 {
					return // the server is gone
				}
				var ids []string
				if json.Unmarshal(body, &ids) == nil {
					acked <- ids
				}
			}
		})
	}
	// Kill once a good number of batches are acknowledged.
	var got [][]string
	for len(got) < 50 {
		got = append(got, <-acked)
	}
	if err := srv.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cancel()
	wg.Wait()
	close(acked)
	for ids := range acked {
		got = append(got, ids)
	}
	again := startServer(t, db)
	missing := 0
	for _, ids := range got {
		for _, id := range ids {
			if code, _ := again.do(t, "GET", "/xapi/statements?statementId="+id, cred, ""); code != 200 {
				missing++
			}
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d acknowledged statements missing after SIGKILL", missing, 10*len(got))
	}
}

func TestBenchCommand(t *testing.T) {
	srv := startServer(t, "sqlite:"+filepath.Join(t.TempDir(), "lrs.db"))
	code, stdout, stderr := runCLI(t, "bench", "--endpoint", srv.url+"/xapi/", "--credential", srv.admin,
		"--statements", "300", "--batch", "100", "--clients", "2")
	if code != exitOK || !strings.Contains(stdout, "ingest: 300 statements") || !strings.Contains(stdout, "0 failed") {
		t.Fatalf("bench ingest = %d\n%s%s", code, stdout, stderr)
	}
	_, body := srv.do(t, "GET", "/xapi/statements?limit=0", srv.admin, "")
	var page struct{ Statements []json.RawMessage }
	if json.Unmarshal(body, &page) != nil || len(page.Statements) != 300 {
		t.Errorf("after bench the LRS holds %d statements, want 300", len(page.Statements))
	}
	code, stdout, _ = runCLI(t, "bench", "--mode", "query", "--endpoint", srv.url+"/xapi/", "--credential", srv.admin, "--statements", "40")
	if code != exitOK || !strings.Contains(stdout, "query: 40 queries") || !strings.Contains(stdout, "0 failed") {
		t.Errorf("bench query = %d\n%s", code, stdout)
	}
	for _, kind := range []string{"agent:", "verb:", "activity + since:", "agent + related_activities:"} {
		if !strings.Contains(stdout, kind) {
			t.Errorf("bench query output has no line for %q:\n%s", kind, stdout)
		}
	}
	// 300 statements of 8 verbs: a verb has about 38, so pages of 100 end
	// after one page and page mode starts again.
	code, stdout, _ = runCLI(t, "bench", "--mode", "page", "--endpoint", srv.url+"/xapi/", "--credential", srv.admin,
		"--statements", "30", "--clients", "2", "--depth", "3")
	if code != exitOK || !strings.Contains(stdout, "page: 30 queries") || !strings.Contains(stdout, "page 1:") {
		t.Errorf("bench page = %d\n%s", code, stdout)
	}
}

// TestTwoNodesOnePostgres starts two LRS processes on one PostgreSQL
// database at once, as behind a load balancer: both migrate safely, and what
// one stores the other serves.
func TestTwoNodesOnePostgres(t *testing.T) {
	db := storetest.PostgresDSN(t)
	nodes := make([]*server, 2)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for i := range nodes {
		wg.Go(func() {
			s := startServer(t, db)
			mu.Lock()
			nodes[i] = s
			mu.Unlock()
		})
	}
	wg.Wait()
	admin := nodes[0].admin + nodes[1].admin
	if (nodes[0].admin == "") == (nodes[1].admin == "") {
		t.Fatalf("admin credentials printed: %q and %q; want exactly one node to create it", nodes[0].admin, nodes[1].admin)
	}
	for i, n := range nodes {
		code, body := n.do(t, "POST", "/xapi/statements", admin, fmt.Sprintf(`{"actor":{"mbox":"mailto:n%d@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/experienced"},"object":{"id":"https://example.org/a"}}`, i))
		var ids []string
		if code != 200 || json.Unmarshal(body, &ids) != nil {
			t.Fatalf("POST to node %d = %d %s", i, code, body)
		}
		other := nodes[1-i]
		if code, _ := other.do(t, "GET", "/xapi/statements?statementId="+ids[0], admin, ""); code != 200 {
			t.Errorf("node %d does not serve node %d's statement: %d", 1-i, i, code)
		}
	}
}
