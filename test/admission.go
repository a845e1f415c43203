package test

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/calinks/terraform-provider-calinks/internal/admission"
)

// admissionOrder is the order in which the cases that deploy against the
// endpoint start, longest first, from the durations of a full run against moto
// (README, "How long the suite takes"). In go test's own order the
// environments (staging alone takes about 11 minutes) waited behind the 13
// module examples and ended the run 5 minutes after everything else. A case
// missing from the list fails, so a new one is placed on purpose.
var admissionOrder = []string{
	"TestEnvironments/staging",
	"TestEnvironments/production",
	"TestEnvironments/develop",
	"TestEnvironments/customer",
	"TestModuleExamples/web-service",
	"TestModuleExamples/static-site",
	"TestModuleExamples/edge",
	"TestModuleExamples/private-assets",
	"TestModuleExamples/aurora-mysql",
	"TestModuleExamples/valkey",
	"TestModuleExamples/network",
	"TestModuleExamples/ops",
	"TestModuleExamples/worker",
	"TestModuleExamples/scheduled-job",
	"TestModuleExamples/ecs-cluster",
	"TestModuleExamples/messaging",
	"TestSmokeSQSQueue",
	"TestWorkerPipelineExample",
	"TestEnvironmentMatrix/staging",
	"TestEnvironmentMatrix/production",
	"TestEnvironmentMatrix/develop",
	"TestEnvironmentMatrix/customer",
	"TestModuleExamples/scheduled-events",
	"TestModuleExamples/dynamodb",
}

// cases admits at most CALINKS_TEST_PARALLEL cases at once (the make targets
// set it from TERRATEST_PARALLEL and lift go test's -parallel above the number
// of cases, so this limit is the one that holds). go test releases its
// parallel tests within milliseconds of each other: a second is ample for all
// to ask before the first starts.
var cases = admission.New(admissionOrder, concurrentCases(), time.Second)

func concurrentCases() int {
	if n, err := strconv.Atoi(os.Getenv("CALINKS_TEST_PARALLEL")); err == nil && n > 0 {
		return n
	}
	return 6
}

// admit blocks until the case may start and gives its place back when it ends.
func admit(t *testing.T) {
	t.Helper()
	release, err := cases.Admit(t.Name())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(release)
}
