package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coursekit/coursekit/lrs/storetest"
)

// TestXAPIClientLibrary runs a published xAPI client library, @xapi/xapi
// from testdata/npm, under node against coursekit serve: it sends, queries
// with filters, pages through more links, voids and sends an attachment,
// and uses the document resources with ETags (testdata/xapi-client.mjs
// says what it checks), speaking xAPI 1.0.3 and
// 2.0.0 to the same server. It needs node and the npm packages; without them
// it skips, unless COURSEKIT_TEST_BROWSER is set, as .ci/run does, when it
// fails.
func TestXAPIClientLibrary(t *testing.T) {
	node, npmDir := xapiClientTools(t)
	t.Run("sqlite", func(t *testing.T) {
		runXAPIClient(t, node, npmDir, "sqlite:"+filepath.Join(t.TempDir(), "lrs.db"))
	})
	t.Run("postgres", func(t *testing.T) { runXAPIClient(t, node, npmDir, storetest.PostgresDSN(t)) })
}

func xapiClientTools(t *testing.T) (node, npmDir string) {
	t.Helper()
	npmDir, err := filepath.Abs(filepath.Join("..", "..", "testdata", "npm"))
	if err != nil {
		t.Fatal(err)
	}
	node, err = exec.LookPath("node")
	missing := ""
	switch {
	case err != nil:
		missing = "node (Node.js 20 or later)"
	case !fileExists(filepath.Join(npmDir, "node_modules", "@xapi", "xapi", "package.json")):
		missing = "@xapi/xapi (npm ci --prefix testdata/npm)"
	}
	if missing != "" {
		if os.Getenv("COURSEKIT_TEST_BROWSER") != "" {
			t.Fatalf("xAPI client test needs %s, and COURSEKIT_TEST_BROWSER is set", missing)
		}
		t.Skipf("xAPI client test needs %s; set COURSEKIT_TEST_BROWSER=1 to require it", missing)
	}
	return node, npmDir
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func runXAPIClient(t *testing.T, node, npmDir, db string) {
	srv := startServer(t, db)
	if srv.admin == "" {
		t.Fatal("first start printed no admin credential")
	}
	// Each run tags its statements with a fresh registration and fresh
	// agents, so both versions can share one server.
	for _, version := range []string{"1.0.3", "2.0.0"} {
		// A bound on the whole script, so a hung request fails instead of
		// hanging the test run; it is not a speed assertion.
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		cmd := exec.CommandContext(ctx, node, filepath.Join("testdata", "xapi-client.mjs"))
		cmd.Env = append(os.Environ(),
			"COURSEKIT_XAPI_ENDPOINT="+srv.url+"/xapi/",
			"COURSEKIT_XAPI_AUTH="+srv.admin,
			"COURSEKIT_XAPI_VERSION="+version,
			"COURSEKIT_NPM_DIR="+npmDir,
			// axios honours HTTP(S)_PROXY; the LRS is on loopback.
			"NO_PROXY=127.0.0.1,localhost",
			"no_proxy=127.0.0.1,localhost",
		)
		out, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			t.Fatalf("node xapi-client.mjs (xAPI %s): %v\n%s", version, err, out)
		}
		t.Log(strings.TrimSpace(string(out)))
	}
}
