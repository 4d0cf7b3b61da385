/** The realm's environment, as the gateway's routes and middleware name it (declared in types/cloudflare-env.d.ts). */
export type Env = Cloudflare.Env;
