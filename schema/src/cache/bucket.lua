-- Token bucket, refilled by Redis server time so the nodes' clocks never matter.
-- KEYS[1]: a hash {tokens, ts} (ts in microseconds). ARGV: capacity, refill per second, cost.
-- Returns {allowed 0|1, whole tokens left, µs until cost is there (0 if allowed), µs until full}.
-- Arguments are checked by the caller (bucket.rs): capacity >= 1, rate > 0, cost <= capacity.

-- Before Redis 5 a script is replicated verbatim, which forbids writes after TIME;
-- replicating its effects instead makes that safe (a no-op on Redis >= 5).
if redis.replicate_commands then
  redis.replicate_commands()
end

local capacity = tonumber(ARGV[1])
local per_us = tonumber(ARGV[2]) / 1000000
local cost = tonumber(ARGV[3])

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])

local saved = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(saved[1])
local ts = tonumber(saved[2])
if tokens == nil or ts == nil then
  -- A missing bucket is a full one: buckets expire when they would be full.
  tokens = capacity
elseif now > ts then
  tokens = tokens + (now - ts) * per_us
end
-- Also applies a capacity lowered since the last take.
tokens = math.min(tokens, capacity)

local allowed = 0
local retry = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  retry = math.ceil((cost - tokens) / per_us)
end
local reset = math.ceil((capacity - tokens) / per_us)

-- %.17g and %.0f keep every digit; the default number-to-string conversion rounds to 14.
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'ts', string.format('%.0f', now))
redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil(reset / 1000)))
return {allowed, math.floor(tokens), retry, reset}
