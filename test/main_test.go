package test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestMain(m *testing.M) {
	var err error
	if target, err = setupTarget(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "test target:", err)
		os.Exit(1)
	}
	fmt.Printf("test target: %s, run id %s (tag %s)\n", target, target.runID, testTagKey)
	code := m.Run()
	if stale := driftSeen.stale(); code == 0 && len(stale) > 0 {
		fmt.Printf("FAIL: emulator drift allowances no case of this run showed (the bug is gone: remove them from test/emulator_drift_test.go):\n  %s\n", strings.Join(stale, "\n  "))
		code = 1
	}
	os.Exit(code)
}
