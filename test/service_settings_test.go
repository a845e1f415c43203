package test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/gruntwork-io/terratest/modules/terraform"
)

// The per-service inputs of the environment roots (README "What the
// applications get"): each case gives pos-web-app one secret, as the roots'
// tfvars say its signing key goes (service_secrets), and worker-item one
// variable of its own (service_environment). The secret's access-contract
// lines then apply: only pos-web-app's execution role reads it.
const (
	testSecretVariable  = "CLOUDFRONT_SIGNING_KEY"
	testSecretWorkload  = "pos-web-app"
	testSettingVariable = "CALINKS_TEST_CASE"
	testSettingWorkload = "worker-item"
)

// serviceSettings creates the case's secret and returns the root variables
// that hand it and the variable to their workloads.
func serviceSettings(t *testing.T, name string) map[string]any {
	t.Helper()
	secret := must(secretsmanager.NewFromConfig(awsConfig()).CreateSecret(t.Context(), &secretsmanager.CreateSecretInput{
		Name:         aws.String(name + "-" + testSecretWorkload + "-signing-key"),
		SecretString: aws.String("not a key: " + name),
		Tags:         []smtypes.Tag{{Key: aws.String(testTagKey), Value: aws.String(caseTag(name))}},
	}))(t)
	return map[string]any{
		"service_secrets":     map[string]any{testSecretWorkload: map[string]any{testSecretVariable: aws.ToString(secret.ARN)}},
		"service_environment": map[string]any{testSettingWorkload: map[string]any{testSettingVariable: name}},
	}
}

// serviceSecretARN is the secret serviceSettings gave the case.
func serviceSecretARN(opts *terraform.Options) (string, bool) {
	secrets, ok := opts.Vars["service_secrets"].(map[string]any)
	if !ok {
		return "", false
	}
	byName, ok := secrets[testSecretWorkload].(map[string]any)
	if !ok {
		return "", false
	}
	arn, ok := byName[testSecretVariable].(string)
	return arn, ok
}

func removeServiceSettings(t *testing.T, opts *terraform.Options) {
	arn, ok := serviceSecretARN(opts)
	if !ok {
		return
	}
	if _, err := secretsmanager.NewFromConfig(awsConfig()).DeleteSecret(t.Context(), &secretsmanager.DeleteSecretInput{
		SecretId: aws.String(arn), ForceDeleteWithoutRecovery: aws.Bool(true),
	}); err != nil {
		t.Errorf("deleting the case's secret %s: %v", arn, err)
	}
}

// checkServiceSettings reads the running services' task definitions: the
// secret reaches pos-web-app's container as a secret (valueFrom, never a
// plain value) and no other workload's, the variable reaches worker-item's
// container only.
func checkServiceSettings(t *testing.T, opts *terraform.Options, name string) {
	t.Run("service-settings", func(t *testing.T) {
		defer failOnPanic(t)
		secretARN, ok := serviceSecretARN(opts)
		if !ok {
			t.Fatalf("the case has no %s secret in service_secrets: %v", testSecretWorkload, opts.Vars["service_secrets"])
		}
		cluster := terraform.OutputContext(t, t.Context(), opts, "cluster_name")
		services := map[string]string{}
		var web map[string]struct {
			ServiceARN string `json:"service_arn"`
		}
		terraform.OutputStructContext(t, t.Context(), opts, "web_services", &web)
		for workload, s := range web {
			services[workload] = s.ServiceARN
		}
		var workers map[string]struct {
			ServiceARN string `json:"service_arn"`
		}
		terraform.OutputStructContext(t, t.Context(), opts, "workers", &workers)
		for workload, s := range workers {
			services[workload] = s.ServiceARN
		}
		for _, workload := range []string{testSecretWorkload, testSettingWorkload} {
			if services[workload] == "" {
				t.Fatalf("the root's outputs name no service for %s: %v", workload, services)
			}
		}
		client := ecs.NewFromConfig(awsConfig())
		for workload, serviceARN := range services {
			container := appContainer(t, client, cluster, serviceARN, workload)
			secrets := map[string]string{}
			for _, s := range container.Secrets {
				secrets[aws.ToString(s.Name)] = aws.ToString(s.ValueFrom)
			}
			env := map[string]string{}
			for _, kv := range container.Environment {
				env[aws.ToString(kv.Name)] = aws.ToString(kv.Value)
			}
			if _, plain := env[testSecretVariable]; plain {
				t.Errorf("%s: %s is a plain environment variable; a secret must come through valueFrom", workload, testSecretVariable)
			}
			if workload == testSecretWorkload {
				if secrets[testSecretVariable] != secretARN {
					t.Errorf("%s: secret %s = %q, want valueFrom %s (service_secrets)", workload, testSecretVariable, secrets[testSecretVariable], secretARN)
				}
			} else if got, found := secrets[testSecretVariable]; found {
				t.Errorf("%s: has %s's secret %s = %q", workload, testSecretWorkload, testSecretVariable, got)
			}
			got, found := env[testSettingVariable]
			switch {
			case workload == testSettingWorkload && got != name:
				t.Errorf("%s: %s = %q, want %q (service_environment)", workload, testSettingVariable, got, name)
			case workload != testSettingWorkload && found:
				t.Errorf("%s: has %s's variable %s = %q", workload, testSettingWorkload, testSettingVariable, got)
			}
		}
	})
}

// appContainer is the container named after the workload in the task
// definition its service runs.
func appContainer(t *testing.T, client *ecs.Client, cluster, serviceARN, workload string) ecstypes.ContainerDefinition {
	t.Helper()
	described := must(client.DescribeServices(t.Context(), &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: []string{serviceARN}}))(t)
	if len(described.Services) != 1 {
		t.Fatalf("%s: service %s not found", workload, serviceARN)
	}
	def := must(client.DescribeTaskDefinition(t.Context(), &ecs.DescribeTaskDefinitionInput{TaskDefinition: described.Services[0].TaskDefinition}))(t)
	var names []string
	for _, c := range def.TaskDefinition.ContainerDefinitions {
		if aws.ToString(c.Name) == workload {
			return c
		}
		names = append(names, aws.ToString(c.Name))
	}
	t.Fatalf("%s: task definition %s has no container %s (has %v)", workload, aws.ToString(described.Services[0].TaskDefinition), workload, names)
	return ecstypes.ContainerDefinition{}
}
