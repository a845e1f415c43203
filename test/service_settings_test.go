package test

import (
	"maps"
	"regexp"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/gruntwork-io/terratest/modules/terraform"
)

// The per-service inputs of the environment roots (README "What the
// applications get"): each case gives two workloads a secret of their own
// (service_secrets: pos-web-app its signing key, as the roots' tfvars say it
// goes, and worker-notification a mail credential) and worker-item a
// variable of its own (service_environment). The secrets' access-contract
// lines then apply: each execution role reads its own workload's secret and
// not the other's.
var testSecrets = map[string]string{ // workload -> variable
	"pos-web-app":         "CLOUDFRONT_SIGNING_KEY",
	"worker-notification": "MAIL_PROVIDER_TOKEN",
}

const (
	testSettingVariable = "CALINKS_TEST_CASE"
	testSettingWorkload = "worker-item"
)

// serviceSettings creates the case's secrets and returns the root variables
// that hand them and the variable to their workloads.
func serviceSettings(t *testing.T, name string) map[string]any {
	t.Helper()
	client := secretsmanager.NewFromConfig(awsConfig())
	secrets := map[string]any{}
	var created []string
	for workload, variable := range testSecrets {
		secret, err := client.CreateSecret(t.Context(), &secretsmanager.CreateSecretInput{
			Name:         aws.String(name + "-" + workload + "-" + variable),
			SecretString: aws.String("not a credential: " + name),
			Tags:         []smtypes.Tag{{Key: aws.String(testTagKey), Value: aws.String(caseTag(name))}},
		})
		if err != nil {
			for _, arn := range created {
				_, _ = client.DeleteSecret(t.Context(), &secretsmanager.DeleteSecretInput{SecretId: aws.String(arn), ForceDeleteWithoutRecovery: aws.Bool(true)})
			}
			t.Fatalf("creating %s's secret: %v", workload, err)
		}
		created = append(created, aws.ToString(secret.ARN))
		secrets[workload] = map[string]any{variable: aws.ToString(secret.ARN)}
	}
	return map[string]any{
		"service_secrets":     secrets,
		"service_environment": map[string]any{testSettingWorkload: map[string]any{testSettingVariable: name}},
	}
}

// serviceSecretARNs are the secrets serviceSettings gave the case, by workload.
func serviceSecretARNs(opts *terraform.Options) map[string]string {
	arns := map[string]string{}
	secrets, _ := opts.Vars["service_secrets"].(map[string]any)
	for workload, variable := range testSecrets {
		byName, _ := secrets[workload].(map[string]any)
		if arn, ok := byName[variable].(string); ok {
			arns[workload] = arn
		}
	}
	return arns
}

func removeServiceSettings(t *testing.T, opts *terraform.Options) {
	client := secretsmanager.NewFromConfig(awsConfig())
	for _, arn := range serviceSecretARNs(opts) {
		if _, err := client.DeleteSecret(t.Context(), &secretsmanager.DeleteSecretInput{
			SecretId: aws.String(arn), ForceDeleteWithoutRecovery: aws.Bool(true),
		}); err != nil {
			t.Errorf("deleting the case's secret %s: %v", arn, err)
		}
	}
}

// checkServiceSettings reads the task definitions of every service, worker
// and job: each secret reaches its workload's container as a secret
// (valueFrom, never a plain value) and no other workload's, the variable
// reaches worker-item's container only.
func checkServiceSettings(t *testing.T, opts *terraform.Options, name string) {
	t.Run("service-settings", func(t *testing.T) {
		defer failOnPanic(t)
		secretARNs := serviceSecretARNs(opts)
		if len(secretARNs) != len(testSecrets) {
			t.Fatalf("the case has %d of its %d secrets in service_secrets: %v", len(secretARNs), len(testSecrets), opts.Vars["service_secrets"])
		}
		client := ecs.NewFromConfig(awsConfig())
		definitions := workloadTaskDefinitions(t, client, opts)
		for _, workload := range append([]string{testSettingWorkload}, slices.Collect(maps.Keys(testSecrets))...) {
			if definitions[workload] == "" {
				t.Fatalf("the root's outputs name no task definition for %s: %v", workload, definitions)
			}
		}
		for workload, definition := range definitions {
			container := appContainer(t, client, definition, workload)
			secrets := map[string]string{}
			for _, s := range container.Secrets {
				secrets[aws.ToString(s.Name)] = aws.ToString(s.ValueFrom)
			}
			env := map[string]string{}
			for _, kv := range container.Environment {
				env[aws.ToString(kv.Name)] = aws.ToString(kv.Value)
			}
			for owner, variable := range testSecrets {
				if _, plain := env[variable]; plain {
					t.Errorf("%s: %s is a plain environment variable; a secret must come through valueFrom", workload, variable)
				}
				got, found := secrets[variable]
				switch {
				case workload == owner && got != secretARNs[owner]:
					t.Errorf("%s: secret %s = %q, want valueFrom %s (service_secrets)", workload, variable, got, secretARNs[owner])
				case workload != owner && found:
					t.Errorf("%s: has %s's secret %s = %q", workload, owner, variable, got)
				}
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

// workloadTaskDefinitions is the task definition each workload runs: what
// the services of the web services and workers run (DescribeServices), and
// what each job's schedule starts (job_run_commands).
func workloadTaskDefinitions(t *testing.T, client *ecs.Client, opts *terraform.Options) map[string]string {
	t.Helper()
	cluster := terraform.OutputContext(t, t.Context(), opts, "cluster_name")
	definitions := map[string]string{}
	var services map[string]struct {
		ServiceARN string `json:"service_arn"`
	}
	for _, output := range []string{"web_services", "workers"} {
		terraform.OutputStructContext(t, t.Context(), opts, output, &services)
		for workload, s := range services {
			described := must(client.DescribeServices(t.Context(), &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: []string{s.ServiceARN}}))(t)
			if len(described.Services) != 1 {
				t.Fatalf("%s: service %s not found", workload, s.ServiceARN)
			}
			definitions[workload] = aws.ToString(described.Services[0].TaskDefinition)
		}
		services = nil
	}
	var jobs map[string]string
	terraform.OutputStructContext(t, t.Context(), opts, "job_run_commands", &jobs)
	for job, command := range jobs {
		m := taskDefinitionFlag.FindStringSubmatch(command)
		if m == nil {
			t.Fatalf("%s: no --task-definition in %q", job, command)
		}
		definitions[job] = m[1]
	}
	return definitions
}

var taskDefinitionFlag = regexp.MustCompile(`--task-definition (\S+)`)

// appContainer is the container named after the workload in its task definition.
func appContainer(t *testing.T, client *ecs.Client, definition, workload string) ecstypes.ContainerDefinition {
	t.Helper()
	def := must(client.DescribeTaskDefinition(t.Context(), &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(definition)}))(t)
	var names []string
	for _, c := range def.TaskDefinition.ContainerDefinitions {
		if aws.ToString(c.Name) == workload {
			return c
		}
		names = append(names, aws.ToString(c.Name))
	}
	t.Fatalf("%s: task definition %s has no container %s (has %v)", workload, definition, workload, names)
	return ecstypes.ContainerDefinition{}
}
