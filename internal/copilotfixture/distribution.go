package copilotfixture

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/calinks/terraform-provider-calinks/internal/sweep"
)

// cachingOptimized is the AWS managed cache policy CachingOptimized.
const cachingOptimized = "658327ea-f89d-4fab-a63d-7e88639e58f6"

// Distribution makes the environment add-on's distribution in front of
// bucket: one S3 origin on the bucket's regional endpoint, read through an
// origin access control, the CloudFront certificate, the add-on stack's
// tags; and the bucket policy statement that admits it by its ARN
// (CloudFront Developer Guide, "Restrict access to an Amazon S3 origin").
// It returns the distribution's ID and domain name.
func (e *Estate) Distribution(bucket string) (id, domainName string) {
	ctx := context.Background()
	client := cloudfront.NewFromConfig(e.cfg)
	name := e.addonsPhysicalName("PrivateStaticOriginAccessControl", 64)
	oac, err := client.CreateOriginAccessControl(ctx, &cloudfront.CreateOriginAccessControlInput{OriginAccessControlConfig: &cftypes.OriginAccessControlConfig{
		Name: aws.String(name), OriginAccessControlOriginType: cftypes.OriginAccessControlOriginTypesS3,
		SigningBehavior: cftypes.OriginAccessControlSigningBehaviorsAlways, SigningProtocol: cftypes.OriginAccessControlSigningProtocolsSigv4}})
	must(e.t, err)
	oacID := aws.ToString(oac.OriginAccessControl.Id)
	// Deleted after the distribution (newest first); once adopted, the
	// distribution uses the root's.
	e.cleanup(func() {
		if got, err := client.GetOriginAccessControl(ctx, &cloudfront.GetOriginAccessControlInput{Id: aws.String(oacID)}); err == nil {
			_, _ = client.DeleteOriginAccessControl(ctx, &cloudfront.DeleteOriginAccessControlInput{Id: aws.String(oacID), IfMatch: got.ETag})
		}
	})

	var tags []cftypes.Tag
	for k, v := range e.tags("") {
		tags = append(tags, cftypes.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	out, err := client.CreateDistributionWithTags(ctx, &cloudfront.CreateDistributionWithTagsInput{DistributionConfigWithTags: &cftypes.DistributionConfigWithTags{
		DistributionConfig: &cftypes.DistributionConfig{
			CallerReference: aws.String(name), Comment: aws.String("private-static"), Enabled: aws.Bool(true),
			Origins: &cftypes.Origins{Quantity: aws.Int32(1), Items: []cftypes.Origin{{
				Id: aws.String("bucket"), DomainName: aws.String(bucket + ".s3." + e.cfg.Region + ".amazonaws.com"), OriginAccessControlId: aws.String(oacID),
				S3OriginConfig: &cftypes.S3OriginConfig{OriginAccessIdentity: aws.String("")}}}},
			DefaultCacheBehavior: &cftypes.DefaultCacheBehavior{TargetOriginId: aws.String("bucket"), ViewerProtocolPolicy: cftypes.ViewerProtocolPolicyRedirectToHttps,
				CachePolicyId: aws.String(cachingOptimized)},
		},
		Tags: &cftypes.Tags{Items: tags}}})
	must(e.t, err)
	id, arn := aws.ToString(out.Distribution.Id), aws.ToString(out.Distribution.ARN)
	// Gone already after the root's destroy. Otherwise disabled, and deleted
	// once deployed (minutes on AWS), before its origin access control, which
	// carries no tags for a sweep to find.
	e.cleanup(func() {
		for deadline := time.Now().Add(25 * time.Minute); ; time.Sleep(30 * time.Second) {
			var deploying *cftypes.DistributionNotDisabled
			if err := sweep.DeleteDistribution(ctx, client, id); !errors.As(err, &deploying) || time.Now().After(deadline) {
				return
			}
		}
	})

	s3Client := s3.NewFromConfig(e.cfg)
	current, err := s3Client.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(bucket)})
	must(e.t, err)
	var policy struct {
		Version   string
		Statement []map[string]any
	}
	must(e.t, json.Unmarshal([]byte(aws.ToString(current.Policy)), &policy))
	policy.Statement = append(policy.Statement, map[string]any{"Sid": "CloudFrontReads", "Effect": "Allow",
		"Principal": map[string]any{"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::" + bucket + "/*",
		"Condition": map[string]any{"StringEquals": map[string]any{"AWS:SourceArn": arn}}})
	_, err = s3Client.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(bucket), Policy: aws.String(mustJSON(policy))})
	must(e.t, err)
	return id, aws.ToString(out.Distribution.DomainName)
}
