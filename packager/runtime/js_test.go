package runtime

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestPlayerLogic runs the player's JavaScript tests (testdata/*.test.js)
// with node's built-in test runner. They test the pure logic the player
// shares with node: scoring, completion rules, time formats, response
// patterns, suspend_data and its budget, the LMS adapter and API discovery.
// The course data they use is written here, from the same code that writes
// course.js. Without node the test is skipped, unless COURSEKIT_TEST_BROWSER
// is set (as in CI), which makes a missing node a failure.
func TestPlayerLogic(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("COURSEKIT_TEST_BROWSER") != "" {
			t.Fatalf("COURSEKIT_TEST_BROWSER is set but node is not installed: %v", err)
		}
		t.Skip("node is not installed; install Node.js 18 or later to run the player's JavaScript tests (COURSEKIT_TEST_BROWSER=1 makes this a failure)")
	}

	dir := t.TempDir()
	for name, src := range map[string]string{"peer-support-training": peerSupport, "features": features} {
		b, err := json.Marshal(newCourseData(mustLoad(t, src), Options{Standard: SCORM12}))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files, err := filepath.Glob(filepath.Join("testdata", "*.test.js"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/*.test.js (%v)", err)
	}

	cmd := exec.CommandContext(t.Context(), node, append([]string{"--test", "--test-reporter=spec"}, files...)...)
	cmd.Env = append(os.Environ(), "COURSEKIT_COURSES="+dir, "NODE_OPTIONS=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node --test %v: %v\n%s", files, err, out)
	}
	t.Logf("node --test:\n%s", out)
}
