export { LocalGitRepository } from './LocalGitRepository';
export type {
  CommitFilesOptions,
  CommitResult,
  CommittedFile,
  GitAuthor,
  GitFileChange,
} from './LocalGitRepository';
