package copilotfixture

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"

	"github.com/calinks/terraform-provider-calinks/internal/sweep"
)

// TableSpec is a DynamoDB storage add-on: `copilot storage init -t DynamoDB
// -n <Name> --partition-key <HashKey>:S [--sort-key <RangeKey>:S]`.
type TableSpec struct{ Name, HashKey, RangeKey string }

// Table makes the add-on's table as Copilot's template does (addons/ddb):
// named `<app>-<env>-<name>`, on-demand, string keys, no encryption
// settings (the AWS owned key). It returns the table name.
func (e *Estate) Table(spec TableSpec) string {
	ctx := context.Background()
	client := dynamodb.NewFromConfig(e.cfg)
	name := fmt.Sprintf("%s-%s-%s", e.App, e.Env, spec.Name)
	attrs := []ddbtypes.AttributeDefinition{{AttributeName: aws.String(spec.HashKey), AttributeType: ddbtypes.ScalarAttributeTypeS}}
	keys := []ddbtypes.KeySchemaElement{{AttributeName: aws.String(spec.HashKey), KeyType: ddbtypes.KeyTypeHash}}
	if spec.RangeKey != "" {
		attrs = append(attrs, ddbtypes.AttributeDefinition{AttributeName: aws.String(spec.RangeKey), AttributeType: ddbtypes.ScalarAttributeTypeS})
		keys = append(keys, ddbtypes.KeySchemaElement{AttributeName: aws.String(spec.RangeKey), KeyType: ddbtypes.KeyTypeRange})
	}
	var tags []ddbtypes.Tag
	for k, v := range e.tags("") {
		tags = append(tags, ddbtypes.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	_, err := client.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String(name), AttributeDefinitions: attrs, KeySchema: keys,
		BillingMode: ddbtypes.BillingModePayPerRequest, Tags: tags})
	must(e.t, err)
	e.cleanup(func() { _, _ = client.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(name)}) })
	return name
}

func lowerRandom(n int) string {
	return acctest.RandStringFromCharSet(n, "abcdefghijklmnopqrstuvwxyz0123456789")
}

// addonsPhysicalName is the lower-case name CloudFormation gives a resource
// of the environment add-ons' stack that names none: `<stack>-<logical
// ID>-<random>`, the stack name cut so that the whole fits in max.
func (e *Estate) addonsPhysicalName(logicalID string, max int) string {
	if e.addonsStack == "" {
		e.addonsStack = strings.ToLower(fmt.Sprintf("%s-%s-AddonsStack-%s", e.App, e.Env, lowerRandom(6)))
	}
	suffix := "-" + strings.ToLower(logicalID) + "-" + lowerRandom(12)
	return strings.TrimRight(e.addonsStack[:min(len(e.addonsStack), max-len(suffix))], "-") + suffix
}

// Bucket makes an S3 storage add-on's bucket as Copilot's template does
// (addons/s3): a name CloudFormation generates from the add-on stack and
// the logical ID `<storage without hyphens>Bucket`, SSE-S3, public access
// blocked, and the ForceHTTPS bucket policy; objects (key -> content) are
// what the services wrote into it. It returns the bucket name.
func (e *Estate) Bucket(storage string, objects map[string]string) string {
	ctx := context.Background()
	client := s3.NewFromConfig(e.cfg)
	name := e.addonsPhysicalName(strings.ReplaceAll(storage, "-", "")+"Bucket", 63)
	input := &s3.CreateBucketInput{Bucket: aws.String(name)}
	if e.cfg.Region != "us-east-1" {
		input.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(e.cfg.Region)}
	}
	_, err := client.CreateBucket(ctx, input)
	must(e.t, err)
	e.cleanup(func() { _ = sweep.DeleteBucket(ctx, client, name) }) // gone already after the root's destroy

	var tags []s3types.Tag
	for k, v := range e.tags("") {
		tags = append(tags, s3types.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	_, err = client.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String(name), Tagging: &s3types.Tagging{TagSet: tags}})
	must(e.t, err)
	_, err = client.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: aws.String(name), ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{
		Rules: []s3types.ServerSideEncryptionRule{{ApplyServerSideEncryptionByDefault: &s3types.ServerSideEncryptionByDefault{SSEAlgorithm: s3types.ServerSideEncryptionAes256}}}}})
	must(e.t, err)
	_, err = client.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: aws.String(name), PublicAccessBlockConfiguration: &s3types.PublicAccessBlockConfiguration{
		BlockPublicAcls: aws.Bool(true), BlockPublicPolicy: aws.Bool(true)}})
	must(e.t, err)
	// Written before the policy: it denies every object call over plain HTTP,
	// as a local endpoint is reached.
	for key, content := range objects {
		_, err = client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(name), Key: aws.String(key), Body: strings.NewReader(content)})
		must(e.t, err)
	}
	arn := "arn:aws:s3:::" + name
	_, err = client.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(name), Policy: aws.String(mustJSON(map[string]any{
		"Version": "2012-10-17", "Statement": []map[string]any{{"Sid": "ForceHTTPS", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
			"Resource": []string{arn + "/*", arn}, "Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": false}}}}}))})
	must(e.t, err)
	return name
}
