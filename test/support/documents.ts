// GraphQL documents shared by several test files.
import { graphql } from '../gql/index.js';

export const RequestUpload = graphql(`
  mutation RequestUpload($input: RequestFileUploadInput!) {
    requestFileUpload(input: $input) {
      __typename
      ... on RequestFileUploadPayload {
        uploadId uploadUrl uploadHeaders expiresAt existingFile { id name }
        multipart { partSize parts { partNumber url offset size } }
      }
      ... on Error { message code }
    }
  }
`);

export const CompleteUpload = graphql(`
  mutation CompleteUpload($uploadId: ID!, $parts: [CompletedUploadPartInput!]) {
    completeFileUpload(input: { uploadId: $uploadId, parts: $parts }) {
      __typename
      ... on CompleteFileUploadPayload {
        deduplicated
        file { id name mimeType size sha256 downloadUrl metadata }
        version { id number previousVersion { number } }
      }
      ... on Error { message code }
      ... on ContentMismatchError { expectedSha256 actualSha256 actualSize }
    }
  }
`);
