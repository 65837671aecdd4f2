import { Link, MarkdownContent, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  scaffolderApiRef,
  useTaskEventStream,
} from '@backstage/plugin-scaffolder-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import CheckIcon from '@material-ui/icons/CheckCircleOutline';
import ErrorIcon from '@material-ui/icons/ErrorOutline';
import ScheduleIcon from '@material-ui/icons/Schedule';
import Alert from '@material-ui/lab/Alert';
import { useEffect, useRef, useState } from 'react';

/** The template the dialog runs (examples/templates/gitops-promote). */
export const PROMOTE_TEMPLATE_REF = 'template:default/gitops-promote';
const MAX_REASON = 1000;

/** What the dialog is asked to do. */
export interface PromotionRequest {
  entityRef: string;
  target: string;
  /** The environment the version comes from; absent for a rollback. */
  source?: string;
  version: string;
  /** What the target wants now. */
  previousVersion?: string;
  /** Why the version may go there, as the gate or the history says. */
  evidence: string;
  /** A rollback passes its version explicitly to the template. */
  rollback: boolean;
}

const useStyles = makeStyles(theme => ({
  facts: {
    display: 'grid',
    gridTemplateColumns: 'auto 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    marginBottom: theme.spacing(2),
  },
  label: { color: theme.palette.text.secondary },
  step: { display: 'flex', alignItems: 'center', gap: theme.spacing(1) },
}));

/** The title and button words, from what the request does. */
export function promotionTitle(request: PromotionRequest): string {
  return request.rollback
    ? `Roll back ${request.target} to ${request.version}`
    : `Promote ${request.version} from ${request.source} to ${request.target}`;
}

/** The commit hash the template's output names, if any. */
export function commitOf(text: string): string | undefined {
  return /commit `([0-9a-f]{7,64})`/.exec(text)?.[1];
}

// Links from a task's output (e.g. the pull request) are followed only when
// they are web addresses: never javascript: or data: URLs.
function isWebUrl(url: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

function StepIcon({ status }: { status: string }) {
  if (status === 'completed') {
    return <CheckIcon fontSize="small" color="primary" />;
  }
  if (status === 'failed') return <ErrorIcon fontSize="small" color="error" />;
  return <ScheduleIcon fontSize="small" color="disabled" />;
}

/** The running template: its steps, then the commit (or links) or the error. */
function TaskProgress(props: {
  taskId: string;
  onFinished: (succeeded: boolean) => void;
}) {
  const { taskId, onFinished } = props;
  const classes = useStyles();
  const stream = useTaskEventStream(taskId);
  const finished = useRef(false);
  const failed = Boolean(stream.error) || stream.task?.status === 'failed';
  useEffect(() => {
    if (stream.completed && !finished.current) {
      finished.current = true;
      onFinished(!stream.error);
    }
  }, [stream.completed, stream.error, onFinished]);

  const texts = (stream.output?.text ?? []).map(t => t.content ?? '');
  const commit = texts.map(commitOf).find(Boolean);
  return (
    <Box>
      {stream.loading && <Progress />}
      <Box component="ol" pl={0} style={{ listStyle: 'none' }}>
        {(stream.task?.spec.steps ?? []).map(step => {
          const status = stream.steps[step.id]?.status ?? 'open';
          return (
            <li key={step.id} className={classes.step}>
              <StepIcon status={status} />
              <Typography variant="body2">
                {step.name} ({status})
              </Typography>
            </li>
          );
        })}
      </Box>
      {stream.completed && stream.error && (
        // The action's own words: the gate's reason or the conflict.
        <Alert severity="error" role="alert">
          {stream.error.message}
        </Alert>
      )}
      {stream.completed && !failed && (
        <Alert severity="success">
          {commit ? (
            <Typography variant="body2">
              Committed <code>{commit}</code>
            </Typography>
          ) : null}
          {texts.map((content, i) => (
            <MarkdownContent key={i} content={content} />
          ))}
          {(stream.output?.links ?? []).map(link =>
            link.url && isWebUrl(link.url) ? (
              <div key={link.url}>
                <Link to={link.url}>{link.title ?? link.url}</Link>
              </div>
            ) : null,
          )}
        </Alert>
      )}
    </Box>
  );
}

/**
 * Runs the promotion template for one environment: shows from and to, the
 * gate's evidence and a reason field, then the template's progress and the
 * resulting commit, or the action's refusal word for word.
 */
export function PromoteDialog(props: {
  open: boolean;
  request: PromotionRequest;
  onClose: () => void;
  /** Called once the template has run to completion (refresh the tab). */
  onPromoted: () => void;
}) {
  const { open, request, onClose, onPromoted } = props;
  const classes = useStyles();
  const scaffolderApi = useApi(scaffolderApiRef);
  const [reason, setReason] = useState('');
  const [taskId, setTaskId] = useState<string>();
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<Error>();
  const [done, setDone] = useState(false);
  const title = promotionTitle(request);

  const start = async () => {
    setStarting(true);
    setStartError(undefined);
    try {
      const values: Record<string, string> = {
        entityRef: request.entityRef,
        targetEnvironment: request.target,
      };
      if (request.rollback) values.version = request.version;
      if (reason.trim()) values.reason = reason.trim();
      const { taskId: id } = await scaffolderApi.scaffold({
        templateRef: PROMOTE_TEMPLATE_REF,
        values,
      });
      setTaskId(id);
    } catch (e) {
      setStartError(e as Error);
    } finally {
      setStarting(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      maxWidth="sm"
      fullWidth
      aria-labelledby="gitops-promote-title"
    >
      <DialogTitle id="gitops-promote-title">{title}</DialogTitle>
      <DialogContent>
        <Box className={classes.facts}>
          <Typography variant="body2" className={classes.label}>
            From
          </Typography>
          <Typography variant="body2">
            {request.source
              ? `${request.source} (runs ${request.version})`
              : `${request.target}'s history`}
          </Typography>
          <Typography variant="body2" className={classes.label}>
            To
          </Typography>
          <Typography variant="body2">
            {request.target} (wants{' '}
            {request.previousVersion ?? 'no version yet'}, will want{' '}
            {request.version})
          </Typography>
          <Typography variant="body2" className={classes.label}>
            Evidence
          </Typography>
          <Typography variant="body2">{request.evidence}</Typography>
        </Box>
        {taskId ? (
          <TaskProgress
            taskId={taskId}
            onFinished={succeeded => {
              setDone(true);
              if (succeeded) onPromoted();
            }}
          />
        ) : (
          <TextField
            id="gitops-promote-reason"
            label="Reason"
            helperText="Why; goes into the commit message (optional)"
            multiline
            minRows={2}
            fullWidth
            variant="outlined"
            value={reason}
            onChange={e => setReason(e.target.value)}
            inputProps={{ maxLength: MAX_REASON }}
            disabled={starting}
          />
        )}
        {startError && (
          <Box mt={2}>
            <Alert severity="error" role="alert">
              {startError.message}
            </Alert>
          </Box>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={starting}>
          {done || taskId ? 'Close' : 'Cancel'}
        </Button>
        {!taskId && (
          <Button
            color="primary"
            variant="contained"
            onClick={start}
            disabled={starting}
          >
            {request.rollback ? 'Roll back' : 'Promote'}
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
