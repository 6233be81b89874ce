package sqlstore

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// TestDurability kills a process that inserts statements (SIGKILL, no
// chance to close anything) and checks that every statement it had been
// told was stored is there after reopening.
func TestDurability(t *testing.T) {
	for _, db := range testDatabases {
		t.Run(db.name, func(t *testing.T) {
			dsn := db.dsn(t)
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
			cmd.Env = append(os.Environ(), "COURSEKIT_HELPER_PROCESS=insert", "COURSEKIT_HELPER_DSN="+dsn)
			cmd.Stderr = os.Stderr
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var acked []string
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				id, ok := strings.CutPrefix(sc.Text(), "ack ")
				if !ok || len(id) != 36 {
					continue
				}
				acked = append(acked, id)
				// Kill it while it keeps writing, well into the run.
				if len(acked) == 2000 {
					if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
						t.Fatal(err)
					}
				}
			}
			cmd.Wait()
			if len(acked) < 2000 {
				t.Fatalf("helper acknowledged %d statements before it ended, want at least 2000", len(acked))
			}

			s := mustOpen(t, dsn)
			ctx := context.Background()
			missing := 0
			for _, id := range acked {
				if _, err := s.Statement(ctx, id, false); err != nil {
					missing++
					if missing <= 5 {
						t.Errorf("Statement(%q) acknowledged before the kill = %v", id, err)
					}
				}
			}
			if missing > 0 {
				t.Errorf("%d of %d acknowledged statements missing after SIGKILL", missing, len(acked))
			}
			t.Logf("%d statements acknowledged before SIGKILL, all present", len(acked))
		})
	}
}

// TestHelperProcess is the inserting process TestDurability kills. It
// inserts batches of 10 statements until killed, printing "ack ID" for each
// statement once InsertStatements has returned.
func TestHelperProcess(t *testing.T) {
	if os.Getenv("COURSEKIT_HELPER_PROCESS") != "insert" {
		t.Skip("run by TestDurability")
	}
	ctx := context.Background()
	s, err := Open(ctx, os.Getenv("COURSEKIT_HELPER_DSN"), nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	w := bufio.NewWriter(os.Stdout)
	for i := 0; i < 1_000_000; i += 10 {
		batch := benchStatements(10, i)
		if err := s.InsertStatements(ctx, batch, nil); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		for _, st := range batch {
			fmt.Fprintf(w, "ack %s\n", st.ID)
		}
		w.Flush()
	}
	s.Close()
	os.Exit(0)
}
