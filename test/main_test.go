package test

import (
	"context"
	"fmt"
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	var err error
	if target, err = setupTarget(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "test target:", err)
		os.Exit(1)
	}
	fmt.Printf("test target: %s, run id %s (tag %s)\n", target, target.runID, testTagKey)
	os.Exit(m.Run())
}
