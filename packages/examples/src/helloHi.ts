import { roundTrip } from "@nact-rpc/core"; console.log(roundTrip(new Set([1n])));
