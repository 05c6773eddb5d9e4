import { Menu, type MenuItemConstructorOptions } from 'electron';
import { m } from '../shared/i18n';

/**
 * The usual menus with the usual shortcuts, plus the app's own "Add files" and "Add folder", in the
 * language of the moment (built again when it changes). Electron names the role items itself.
 */
export function applicationMenu(actions: {
  addFiles: () => void;
  addFolder: () => void;
  installCommandLineTool: () => void;
}): Menu {
  const mac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(mac
      ? [
          {
            role: 'appMenu',
            submenu: [
              { role: 'about' },
              { type: 'separator' },
              // Windows' installer and the Linux packages put the command on the PATH themselves.
              { label: m.menu_install_cli(), click: actions.installCommandLineTool },
              { type: 'separator' },
              { role: 'services' },
              { type: 'separator' },
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              { type: 'separator' },
              { role: 'quit' },
            ],
          } as MenuItemConstructorOptions,
        ]
      : []),
    {
      label: m.menu_file(),
      submenu: [
        { label: m.menu_add_files(), accelerator: 'CmdOrCtrl+O', click: actions.addFiles },
        { label: m.menu_add_folder(), accelerator: 'CmdOrCtrl+Shift+O', click: actions.addFolder },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: m.menu_view(),
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}
