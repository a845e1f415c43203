// Package testtarget decides, from the environment, where the Go suite runs
// and what each target sets: moto (the default local endpoint), LocalStack
// (any LocalStack-compatible endpoint with LocalStack's own gaps), or a real
// AWS account. The decision is a pure function of the variables, so its rules
// are unit-tested without any endpoint.
package testtarget

import (
	"fmt"
	"net/url"
	"os"
	"slices"
)

// Kind is what answers the suite's AWS calls.
type Kind string

const (
	Moto       Kind = "moto"
	LocalStack Kind = "localstack"
	AWS        Kind = "aws"
)

// Defaults.
const (
	DefaultEndpoint = "http://127.0.0.1:4566"
	DefaultRegion   = "ap-northeast-1"
)

// Target is where the suite runs and what it sets for the SDK and the CLIs.
type Target struct {
	Kind     Kind
	Endpoint string // emulators only
	Region   string
	// Env is set in the test process (an emulator's dummy credentials only
	// where none are set already: SetDefaults).
	Env map[string]string
	// SetDefaults lists the keys of Env that keep a value already set.
	SetDefaults []string
	// ProfileVarFile is the environment roots' profile for this target:
	// what the endpoint cannot do, switched off; empty against AWS.
	ProfileVarFile string
}

// Emulated tells whether an endpoint answers rather than AWS.
func (t Target) Emulated() bool { return t.Kind != AWS }

// DriftAllowed tells whether the second plan may differ by moto's known bugs
// (test/emulator_drift_test.go); they are moto's, so nothing else gets them.
func (t Target) DriftAllowed() bool { return t.Kind == Moto }

// Resolve reads the target from the variables:
//
//	CALINKS_TEST_TARGET  moto (default; "emulator" is the same), localstack or aws
//	AWS_ENDPOINT_URL     the endpoint of an emulator; else EMULATOR_URL; else
//	                     http://127.0.0.1:4566
//	CALINKS_TEST_REGION  the region of every root, check and sweep (default
//	                     ap-northeast-1)
//
// Against AWS, AWS_ENDPOINT_URL must be unset: an endpoint left over from an
// emulator run would send the real run's calls to it.
func Resolve(getenv func(string) string) (Target, error) {
	t := Target{Region: getenv("CALINKS_TEST_REGION")}
	if t.Region == "" {
		t.Region = DefaultRegion
	}
	t.Env = map[string]string{"AWS_REGION": t.Region, "AWS_DEFAULT_REGION": t.Region}
	switch kind := getenv("CALINKS_TEST_TARGET"); kind {
	case "", "emulator", string(Moto):
		t.Kind, t.ProfileVarFile = Moto, "emulator.tfvars"
	case string(LocalStack):
		t.Kind, t.ProfileVarFile = LocalStack, "localstack.tfvars"
	case string(AWS):
		if endpoint := getenv("AWS_ENDPOINT_URL"); endpoint != "" {
			return t, fmt.Errorf("CALINKS_TEST_TARGET=aws with AWS_ENDPOINT_URL=%s: unset it to reach AWS", endpoint)
		}
		t.Kind = AWS
		return t, nil
	default:
		return t, fmt.Errorf("CALINKS_TEST_TARGET=%q: want moto (default), localstack or aws", kind)
	}
	t.Endpoint = getenv("AWS_ENDPOINT_URL")
	if t.Endpoint == "" {
		t.Endpoint = getenv("EMULATOR_URL")
	}
	if t.Endpoint == "" {
		t.Endpoint = DefaultEndpoint
	}
	if u, err := url.Parse(t.Endpoint); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return t, fmt.Errorf("endpoint %q: want http(s)://host:port", t.Endpoint)
	}
	t.Env["AWS_ENDPOINT_URL"] = t.Endpoint
	t.Env["AWS_EC2_METADATA_DISABLED"] = "true"
	t.Env["AWS_ACCESS_KEY_ID"], t.Env["AWS_SECRET_ACCESS_KEY"] = "test", "test"
	t.SetDefaults = []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
	return t, nil
}

// Export sets Env in this process, for the SDK and the CLIs it starts.
func (t Target) Export() error {
	for key, value := range t.Env {
		if _, set := os.LookupEnv(key); set && slices.Contains(t.SetDefaults, key) {
			continue
		}
		if err := os.Setenv(key, value); err != nil {
			return err
		}
	}
	return nil
}

func (t Target) String() string {
	if t.Kind == AWS {
		return "AWS in " + t.Region
	}
	return fmt.Sprintf("%s at %s (%s)", t.Kind, t.Endpoint, t.Region)
}
