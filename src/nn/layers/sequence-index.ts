// nn/layers/sequence-index: the sequence and language layers (recurrent, embeddings, masking,
// attention, transformer blocks, RMS/group normalization) and their camelCase factories, re-exported
// by the `layers` namespace. Importing this module registers every class for deserialization.
import { Bidirectional, type BidirectionalArgs } from "./bidirectional.js";
import { Embedding, type EmbeddingArgs } from "./embedding.js";
import { GroupNormalization, type GroupNormalizationArgs } from "./group-normalization.js";
import { GRU, type GRUArgs } from "./gru.js";
import { LSTM, type LSTMArgs } from "./lstm.js";
import { Masking, type MaskingArgs } from "./masking.js";
import { MultiHeadAttention, type MultiHeadAttentionArgs } from "./multi-head-attention.js";
import { PositionEmbedding, type PositionEmbeddingArgs } from "./position-embedding.js";
import { RMSNormalization, type RMSNormalizationArgs } from "./rms-normalization.js";
import { SimpleRNN, type SimpleRNNArgs } from "./simple-rnn.js";
import { TimeDistributed, type TimeDistributedArgs } from "./time-distributed.js";
import {
  TokenAndPositionEmbedding,
  type TokenAndPositionEmbeddingArgs,
} from "./token-and-position-embedding.js";
import { TransformerDecoder, type TransformerDecoderArgs } from "./transformer-decoder.js";
import { TransformerEncoder, type TransformerEncoderArgs } from "./transformer-encoder.js";

export { Bidirectional, type BidirectionalArgs, type MergeMode } from "./bidirectional.js";
export { Embedding, type EmbeddingArgs } from "./embedding.js";
export { GroupNormalization, type GroupNormalizationArgs } from "./group-normalization.js";
export { GRU, type GRUArgs } from "./gru.js";
export { LSTM, type LSTMArgs } from "./lstm.js";
export { Masking, type MaskingArgs } from "./masking.js";
export { MultiHeadAttention, type MultiHeadAttentionArgs } from "./multi-head-attention.js";
export { PositionEmbedding, type PositionEmbeddingArgs } from "./position-embedding.js";
export { type RecurrentArgs, RecurrentLayer } from "./recurrent-base.js";
export { RMSNormalization, type RMSNormalizationArgs } from "./rms-normalization.js";
export { SimpleRNN, type SimpleRNNArgs } from "./simple-rnn.js";
export { TimeDistributed, type TimeDistributedArgs } from "./time-distributed.js";
export {
  TokenAndPositionEmbedding,
  type TokenAndPositionEmbeddingArgs,
} from "./token-and-position-embedding.js";
export { type TransformerArgs, TransformerBlock } from "./transformer-base.js";
export { TransformerDecoder, type TransformerDecoderArgs } from "./transformer-decoder.js";
export { TransformerEncoder, type TransformerEncoderArgs } from "./transformer-encoder.js";
/** Fully connected recurrent layer, h = tanh(x W + h U + b). */
export const simpleRNN = (args: SimpleRNNArgs): SimpleRNN => new SimpleRNN(args);
/** Long short-term memory layer (Keras defaults). */
export const lstm = (args: LSTMArgs): LSTM => new LSTM(args);
/** Gated recurrent unit layer (resetAfter true by default). */
export const gru = (args: GRUArgs): GRU => new GRU(args);
/** Integer ids to trainable vectors; maskZero marks id 0 as padding. */
export const embedding = (args: EmbeddingArgs): Embedding => new Embedding(args);
/** Masks (and zeroes) time steps whose features all equal maskValue. */
export const masking = (args: MaskingArgs = {}): Masking => new Masking(args);
/** Runs a recurrent layer forward and backward and merges the two (concat by default). */
export const bidirectional = (args: BidirectionalArgs): Bidirectional => new Bidirectional(args);
/** Applies a layer to every time step of (B, T, ...) inputs. */
export const timeDistributed = (args: TimeDistributedArgs): TimeDistributed => new TimeDistributed(args);
/** Multi-head attention (Keras semantics; blockwise fused attention unless scores are returned). */
export const multiHeadAttention = (args: MultiHeadAttentionArgs): MultiHeadAttention =>
  new MultiHeadAttention(args);
/** Normalises groups of channels per sample (default 32 groups). */
export const groupNormalization = (args: GroupNormalizationArgs = {}): GroupNormalization =>
  new GroupNormalization(args);
/** Learned position vectors, broadcast to the (B, T, D) input. */
export const positionEmbedding = (args: PositionEmbeddingArgs): PositionEmbedding =>
  new PositionEmbedding(args);
/** x / rms(x) * scale over the last axis (epsilon 1e-6). */
export const rmsNormalization = (args: RMSNormalizationArgs = {}): RMSNormalization =>
  new RMSNormalization(args);
/** Token embeddings plus learned position embeddings. */
export const tokenAndPositionEmbedding = (args: TokenAndPositionEmbeddingArgs): TokenAndPositionEmbedding =>
  new TokenAndPositionEmbedding(args);
/** Causal self-attention (+ cross-attention) + feedforward block. */
export const transformerDecoder = (args: TransformerDecoderArgs): TransformerDecoder =>
  new TransformerDecoder(args);
/** Self-attention + feedforward block. */
export const transformerEncoder = (args: TransformerEncoderArgs): TransformerEncoder =>
  new TransformerEncoder(args);
