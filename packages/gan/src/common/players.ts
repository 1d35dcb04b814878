/**
 * The names of the players in core's Trainer that every model of the family trains: the generator side
 * (G, with BiGAN's encoder E, or CycleGAN's G and F) and the discriminator side (D, the critic, or
 * CycleGAN's D_A and D_B). Their variables live under these prefixes of each model's ParameterStore.
 */
export const GENERATOR = 'generator';
export const DISCRIMINATOR = 'discriminator';
