package testtarget

import (
	"strings"
	"testing"
)

func env(vars map[string]string) func(string) string {
	return func(key string) string { return vars[key] }
}

func TestResolve(t *testing.T) {
	cases := []struct {
		name    string
		vars    map[string]string
		kind    Kind
		region  string
		url     string // AWS_ENDPOINT_URL set for the SDK and the CLIs; "" for none
		profile string
		drift   bool
	}{
		{name: "nothing set is moto on the default port", vars: map[string]string{},
			kind: Moto, region: "ap-northeast-1", url: "http://127.0.0.1:4566", profile: "emulator.tfvars", drift: true},
		{name: "emulator is moto", vars: map[string]string{"CALINKS_TEST_TARGET": "emulator"},
			kind: Moto, region: "ap-northeast-1", url: "http://127.0.0.1:4566", profile: "emulator.tfvars", drift: true},
		{name: "EMULATOR_URL reaches moto", vars: map[string]string{"EMULATOR_URL": "http://127.0.0.1:5000"},
			kind: Moto, region: "ap-northeast-1", url: "http://127.0.0.1:5000", profile: "emulator.tfvars", drift: true},
		{name: "AWS_ENDPOINT_URL wins over EMULATOR_URL", vars: map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:4577", "EMULATOR_URL": "http://127.0.0.1:5000"},
			kind: Moto, region: "ap-northeast-1", url: "http://127.0.0.1:4577", profile: "emulator.tfvars", drift: true},
		{name: "LocalStack gets its own profile and reset, none of moto's drift", vars: map[string]string{"CALINKS_TEST_TARGET": "localstack", "EMULATOR_URL": "http://localhost.localstack.cloud:4566"},
			kind: LocalStack, region: "ap-northeast-1", url: "http://localhost.localstack.cloud:4566", profile: "localstack.tfvars", drift: false},
		{name: "AWS: no endpoint, no profile, the region given", vars: map[string]string{"CALINKS_TEST_TARGET": "aws", "CALINKS_TEST_REGION": "us-west-2", "EMULATOR_URL": "http://127.0.0.1:4566"},
			kind: AWS, region: "us-west-2", url: "", profile: "", drift: false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Resolve(env(c.vars))
			if err != nil {
				t.Fatal(err)
			}
			if got.Kind != c.kind || got.Region != c.region || got.Env["AWS_ENDPOINT_URL"] != c.url || got.ProfileVarFile != c.profile || got.DriftAllowed() != c.drift {
				t.Errorf("Resolve = %+v (drift %v), want kind %s region %s endpoint %q profile %q drift %v", got, got.DriftAllowed(), c.kind, c.region, c.url, c.profile, c.drift)
			}
			// Every target pins the region for the SDK and both CLIs.
			if got.Env["AWS_REGION"] != c.region || got.Env["AWS_DEFAULT_REGION"] != c.region {
				t.Errorf("region variables = %s / %s, want %s", got.Env["AWS_REGION"], got.Env["AWS_DEFAULT_REGION"], c.region)
			}
			_, hasKey := got.Env["AWS_ACCESS_KEY_ID"]
			if hasKey != (c.kind != AWS) {
				t.Errorf("dummy credentials set = %v for %s", hasKey, c.kind)
			}
		})
	}
}

func TestResolveRefuses(t *testing.T) {
	for name, vars := range map[string]map[string]string{
		"an endpoint with the real account":      {"CALINKS_TEST_TARGET": "aws", "AWS_ENDPOINT_URL": "http://127.0.0.1:4566"},
		"an unknown target":                      {"CALINKS_TEST_TARGET": "localstak"},
		"an endpoint that is not an http(s) URL": {"AWS_ENDPOINT_URL": "127.0.0.1:4566"},
	} {
		t.Run(name, func(t *testing.T) {
			if got, err := Resolve(env(vars)); err == nil {
				t.Errorf("Resolve(%v) = %+v, want an error", vars, got)
			} else if !strings.Contains(err.Error(), "CALINKS_TEST_TARGET") && !strings.Contains(err.Error(), "endpoint") {
				t.Errorf("error %q names neither the variable nor the endpoint", err)
			}
		})
	}
}
